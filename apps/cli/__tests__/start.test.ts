import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RelayEvent } from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { main, startRelayService } from '../src/index.js';
import { createStreamLogger } from '../src/logger.js';
import { Capture, fixture, tempDir, testIO } from './helpers/capture.js';

let sim: ComfySimulator;

beforeAll(async () => {
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: 5 });
});

afterAll(async () => {
  await sim?.stop();
});

/** Collects a listener's messages; resolves waiters as soon as a matching one arrives. */
function listen(url: string) {
  const ws = new WebSocket(url);
  const messages: { type: string; data?: unknown }[] = [];
  const waiters: { test: (m: { type: string }) => boolean; resolve: () => void }[] = [];
  ws.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as { type: string };
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.test(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    ws,
    messages,
    waitFor: (test: (m: { type: string }) => boolean) =>
      messages.some(test)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ test, resolve })),
    closed: new Promise<number>((resolve) => ws.on('close', (code) => resolve(code))),
  };
}

describe('comfyrelay start', () => {
  it('serves the event stream (snapshot first) and stops on its AbortSignal', async () => {
    const shutdown = new AbortController();
    const io = testIO({ signal: shutdown.signal, env: { TELEGRAM_BOT_TOKEN: 'x' } });
    const exit = main(['start', '--comfy', sim.url, '--events-port', '0'], io);

    const started = await io.stdout.waitFor(/event stream +(ws:\S+)/);
    expect(started).toContain('no chat frontends configured yet');
    expect(started).toContain(
      'TELEGRAM_BOT_TOKEN is set, but the Telegram frontend is not part of this build yet',
    );
    expect(started).not.toContain('DISCORD_TOKEN');
    const url = /event stream +(ws:\S+)/.exec(started)?.[1] as string;

    const listener = listen(url);
    await listener.waitFor((m) => m.type === 'snapshot');
    const snapshot = listener.messages[0] as {
      type: string;
      data: { clientId: string; backends: { url: string }[] };
    };
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.data.clientId).toMatch(/^comfyrelay-/);
    expect(snapshot.data.backends.map((b) => b.url)).toEqual([sim.url]);

    shutdown.abort();
    expect(await exit).toBe(0);
    expect(await listener.closed).toBe(1001);
    expect(io.stdout.text).toContain('stopped');
    expect(io.stderr.text).not.toContain('dropped a subscriber');
  });

  it('returns a handle whose relay streams generations to listeners; starts its own simulator when none is given', async () => {
    const io = testIO({ env: {} });
    const service = await startRelayService(
      { comfyUrls: [], eventsPort: 0 },
      io,
      createStreamLogger(new Capture(), 'silent'),
    );
    try {
      expect(service.simulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(io.stderr.text).toContain(`started a ComfyUI simulator at ${service.simulatorUrl}`);
      const listener = listen(service.eventsUrl);
      await listener.waitFor((m) => m.type === 'snapshot');
      await service.relay.ready();
      const generation = await submitGraph(service.relay, {
        '1': { class_type: 'TestProgressNode', inputs: { seed: 1, steps: 2, width: 8, height: 8 } },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'start' } },
      });
      await listener.waitFor((m) => m.type === 'succeeded');
      const types = listener.messages.map((m) => m.type);
      expect(types).toEqual(
        expect.arrayContaining(['submitted', 'started', 'progress', 'succeeded']),
      );
      const succeeded = listener.messages.find((m) => m.type === 'succeeded') as RelayEvent & {
        id: string;
      };
      expect(succeeded.id).toBe(generation.id);
    } finally {
      await service.stop();
    }
    await expect(fetch(`${service.simulatorUrl}/system_stats`)).rejects.toThrow();
  });

  it('registers the plugins: its relay offers the image and video workflows and runs them', async () => {
    const io = testIO();
    const service = await startRelayService(
      { comfyUrls: [sim.url], eventsPort: 0 },
      io,
      createStreamLogger(new Capture(), 'silent'),
    );
    try {
      const ids = service.relay.workflows().map((definition) => definition.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'image.txt2img',
          'image.flux',
          'image.upscale',
          'video.text-to-video',
          'video.image-to-video',
        ]),
      );
      expect(service.plugins.plugins.map((plugin) => plugin.name)).toEqual([
        '@comfyrelay/plugin-image',
        '@comfyrelay/plugin-video',
      ]);
      // What a dashboard or frontend connected to it does: run a workflow by id.
      const listener = listen(service.eventsUrl);
      await listener.waitFor((m) => m.type === 'snapshot');
      const generation = await service.relay.generate('image.txt2img', {
        prompt: 'a cat',
        steps: 2,
        width: 64,
        height: 64,
      });
      const record = await generation.done;
      expect(record.status).toBe('succeeded');
      await listener.waitFor((m) => m.type === 'succeeded');
      const submitted = listener.messages.find((m) => m.type === 'submitted') as unknown as {
        record: { workflow: string };
      };
      expect(submitted.record.workflow).toBe('image.txt2img');
    } finally {
      await service.stop();
    }
  });

  it('says what it offers by plugin and which folder files did not load, and starts anyway', async () => {
    const dir = await tempDir();
    try {
      await copyFile(fixture('workflows/sd15-txt2img.json'), join(dir.path, 'portrait.json'));
      await writeFile(join(dir.path, 'broken.json'), 'not json at all');
      const shutdown = new AbortController();
      const io = testIO({ signal: shutdown.signal, env: { COMFYRELAY_WORKFLOWS_DIR: dir.path } });
      const exit = main(['start', '--comfy', sim.url, '--events-port', '0'], io);
      const started = await io.stdout.waitFor(/Press Ctrl-C to stop/);
      expect(started).toMatch(
        /offers +9 workflows \(6 from plugin-image, 2 from plugin-video, 1 from the folder .+\)/,
      );
      expect(started).toContain('plugin-video: video.text-to-video, video.image-to-video');
      expect(started).toMatch(/the folder .+: custom\.portrait/);
      expect(started).toContain(
        `note: skipped ${join(dir.path, 'broken.json')}: the file is not valid JSON`,
      );
      shutdown.abort();
      expect(await exit).toBe(0);
    } finally {
      await dir.remove();
    }
  });
});

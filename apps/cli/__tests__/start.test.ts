import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import type { Logger } from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { createPlatformLogger } from '@comfyrelay/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadStartConfig, main, startPlatformService, type StartConfig } from '../src/index.js';
import { Capture, fixture, tempDir, testIO } from './helpers/capture.js';
import { liveEvents as listen } from './helpers/liveEvents.js';
import { closedPort } from './helpers/net.js';

let sim: ComfySimulator;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: 5 });
});

afterAll(async () => {
  await sim?.stop();
});

afterEach(async () => {
  await dir?.remove();
});

const silent: Logger = createPlatformLogger({
  level: 'silent',
  format: 'json',
  secrets: [],
  destination: new Capture(),
});

/** The configuration `start` would run with in `cwd`, with these variables. */
async function configIn(cwd: string, env: Record<string, string> = {}): Promise<StartConfig> {
  const loaded = await loadStartConfig({ port: '0' }, { cwd, env });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.config;
}

describe('comfyrelay start', () => {
  it('serves the event stream from the console (snapshot first) and stops on its AbortSignal', async () => {
    dir = await tempDir();
    const shutdown = new AbortController();
    const io = testIO({ signal: shutdown.signal, cwd: dir.path });
    const exit = main(['start', '--comfy', sim.url, '--port', '0'], io);

    const started = await io.stdout.waitFor(/Press Ctrl-C to stop/);
    expect(started).toContain(
      'frontends     console (no chat bots configured: set DISCORD_TOKEN or TELEGRAM_BOT_TOKEN, see the README)',
    );
    expect(started).toContain(`ComfyUI       ${sim.url}\n`);
    expect(started).toContain(`data          ${join(dir.path, 'data')} `);
    const url = /event stream +(ws:\S+)/.exec(started)?.[1] as string;
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/events$/);

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
    expect(io.stdout.text).toMatch(
      /stopping: taking no new work; nothing is running on ComfyUI…\nstopped\n$/,
    );
    expect(io.stderr.text).not.toContain('dropped a subscriber');
  });

  it('runs the platform on its own simulator when no server is configured, and stops it with itself', async () => {
    dir = await tempDir();
    const io = testIO({ cwd: dir.path });
    const logs = new Capture();
    const logger = createPlatformLogger({
      level: 'info',
      format: 'json',
      secrets: [],
      destination: logs,
    });
    const service = await startPlatformService(await configIn(dir.path), io, logger);
    const simulatorUrl = service.servers[0]?.url;
    try {
      expect(service.servers).toEqual([
        { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), simulator: true },
      ]);
      expect(logs.text).toContain(
        `no ComfyUI server is configured, so comfyrelay started its built-in ComfyUI simulator at ${simulatorUrl}`,
      );
      expect(io.stderr.text).toBe('');
      const listener = listen(service.eventStreamUrl ?? '');
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
      const succeeded = listener.messages.find((m) => m.type === 'succeeded') as unknown as {
        id: string;
      };
      expect(succeeded.id).toBe(generation.id);
    } finally {
      expect(await service.stop()).toBe(0);
    }
    await expect(fetch(`${simulatorUrl}/system_stats`)).rejects.toThrow();
  });

  it('with servers configured and none answering yet, warns and starts anyway (not ready until one does)', async () => {
    dir = await tempDir();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const logs = new Capture();
    const logger = createPlatformLogger({
      level: 'warn',
      format: 'json',
      secrets: [],
      destination: logs,
    });
    const service = await startPlatformService(
      await configIn(dir.path, { COMFYUI_URL: url }),
      testIO({ cwd: dir.path }),
      logger,
    );
    try {
      expect(service.servers).toEqual([{ url, simulator: false }]);
      expect(logs.text).toContain(
        `cannot reach ComfyUI at ${url}: connection refused (nothing is listening there).`,
      );
      expect(logs.text).toContain('comfyrelay keeps trying to connect.');
      const ready = await fetch(new URL('/readyz', service.consoleUrl));
      expect(ready.status).toBe(503);
    } finally {
      await service.stop();
    }
  });

  it('registers the plugins: its relay offers the image and video workflows and runs them', async () => {
    dir = await tempDir();
    const io = testIO({ cwd: dir.path });
    const service = await startPlatformService(
      await configIn(dir.path, { COMFYUI_URL: sim.url }),
      io,
      silent,
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
      const listener = listen(service.eventStreamUrl ?? '');
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
    dir = await tempDir();
    const workflows = join(dir.path, 'workflows');
    await mkdir(workflows);
    await copyFile(fixture('workflows/sd15-txt2img.json'), join(workflows, 'portrait.json'));
    await writeFile(join(workflows, 'broken.json'), 'not json at all');
    const shutdown = new AbortController();
    const io = testIO({
      signal: shutdown.signal,
      cwd: dir.path,
      env: { COMFYRELAY_WORKFLOWS_DIR: 'workflows' },
    });
    const exit = main(['start', '--comfy', sim.url, '--port', '0'], io);
    const started = await io.stdout.waitFor(/Press Ctrl-C to stop/);
    expect(started).toMatch(
      /offers +9 workflows \(6 from plugin-image, 2 from plugin-video, 1 from the folder .+\)/,
    );
    expect(started).toContain('plugin-video: video.text-to-video, video.image-to-video');
    expect(started).toMatch(/the folder .+: custom\.portrait/);
    expect(started).toContain(
      `note: skipped ${join(workflows, 'broken.json')}: the file is not valid JSON`,
    );
    shutdown.abort();
    expect(await exit).toBe(0);
  });
});

import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import type { Logger } from '@comfyrelay/core';
import { imagePlugin } from '@comfyrelay/plugin-image';
import { startPlatform } from '@comfyrelay/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleApp, type ConsoleFrontend } from '../src/index.js';
import { openEventStream } from './helpers/peer.js';

describe('consoleApp', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('runs as one of the platform’s apps on its relay, says where, and stops with it', async () => {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    cleanup.push(() => sim.stop());
    const logged: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: (message) => void logged.push(message),
      warn: (message) => void logged.push(message),
      error: (message) => void logged.push(message),
    };
    const platform = await startPlatform({
      comfyUrls: [sim.url],
      plugins: [imagePlugin],
      apps: [consoleApp({ port: 0 })],
      logger,
    });
    cleanup.push(() => platform.stop());
    const frontend = platform.frontends.find((f) => f.name === 'console') as ConsoleFrontend;
    const url = frontend.url ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(logged).toContain(`console: open ${url}`);

    const { workflows } = (await (await fetch(`${url}api/workflows`)).json()) as {
      workflows: { id: string }[];
    };
    expect(workflows.map((w) => w.id)).toContain('image.txt2img');
    const stream = await openEventStream(`${url.replace('http', 'ws')}events`);
    if (!stream.opened) throw new Error('the event stream refused us');
    const closed = new Promise<number>((resolve) => stream.ws.once('close', resolve));

    await platform.stop();
    expect(await closed).toBe(1001);
    expect(frontend.url).toBeUndefined();
    await expect(fetch(`${url}healthz`)).rejects.toThrow();
  });
});

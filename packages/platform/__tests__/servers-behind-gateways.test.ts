import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { silentLogger, type BackendConfig } from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { HttpGateway } from '@comfyrelay/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlatform } from '../src/index.js';

const graph = (seed: number) => ({
  '1': { class_type: 'TestProgressNode', inputs: { seed, steps: 2, width: 16, height: 16 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'gateway' } },
});

describe('ComfyUI servers behind something', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function platformBehind(gateway: HttpGateway, server: Omit<BackendConfig, 'url'> = {}) {
    const platform = await startPlatform({
      servers: [{ url: gateway.url, ...server }],
      plugins: [],
      apps: [],
      logger: silentLogger,
      drainMs: 0,
    });
    cleanup.push(() => platform.stop());
    await platform.relay.ready();
    return platform;
  }

  async function simulator(): Promise<ComfySimulator> {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    cleanup.push(() => sim.stop());
    return sim;
  }

  it.each([
    [
      'basic',
      { username: 'ops', password: 'pa:ss' },
      `Basic ${Buffer.from('ops:pa:ss').toString('base64')}`,
    ],
    ['bearer', { token: 'tok-123' }, 'Bearer tok-123'],
  ] as const)(
    'with %s auth: every request and the socket carry the credentials',
    async (_kind, auth, header) => {
      const sim = await simulator();
      const gateway = await HttpGateway.start({
        target: sim.url,
        refuse: (request) => (request.authorization === header ? undefined : 401),
      });
      cleanup.push(() => gateway.stop());
      const platform = await platformBehind(gateway, { auth });
      const job = await submitGraph(platform.relay, graph(1));
      expect((await job.done).status).toBe('succeeded');
      // What an operator's console reads of the server goes with the credentials too.
      expect((await platform.relay.systemStats()).system.comfyui_version).toEqual(
        expect.any(String),
      );
      expect(gateway.requests.some((request) => request.upgrade)).toBe(true);
      expect(gateway.requests.filter((request) => request.authorization !== header)).toEqual([]);
    },
  );

  it('a POST /prompt whose answer is cut after ComfyUI queued it runs once, and is followed to its end', async () => {
    const sim = await simulator();
    let cuts = 0;
    const gateway = await HttpGateway.start({
      target: sim.url,
      answer: (request) =>
        request.method === 'POST' && request.path === '/prompt' && cuts++ === 0 ? 'cut' : 'pass',
    });
    cleanup.push(() => gateway.stop());
    const platform = await platformBehind(gateway);
    const job = await submitGraph(platform.relay, graph(2));
    expect((await job.done).status).toBe('succeeded');
    expect(cuts).toBe(1);
    const history = (await (await fetch(`${sim.url}/history`)).json()) as object;
    expect(Object.keys(history)).toEqual([job.promptId]);
    expect(
      gateway.requests.filter((request) => request.method === 'POST' && request.path === '/prompt'),
    ).toHaveLength(1);
  });
});

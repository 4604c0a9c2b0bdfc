import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { silentLogger, type BackendConfig, type Logger } from '@comfyrelay/core';
import { imagePlugin } from '@comfyrelay/plugin-image';
import { startPlatform, type Platform } from '@comfyrelay/platform';
import { HttpGateway } from '@comfyrelay/testkit';
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

  /** The simulator (behind a gateway when given one), a platform on it, and its console. */
  async function consoleOnPlatform(
    server: {
      gateway?: (target: string) => Promise<HttpGateway>;
      auth?: BackendConfig['auth'];
    } = {},
  ): Promise<{ platform: Platform; url: string }> {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    cleanup.push(() => sim.stop());
    let target = sim.url;
    if (server.gateway) {
      const gateway = await server.gateway(sim.url);
      cleanup.push(() => gateway.stop());
      target = gateway.url;
    }
    const platform = await startPlatform({
      servers: [{ url: target, ...(server.auth ? { auth: server.auth } : {}) }],
      plugins: [imagePlugin],
      apps: [consoleApp({ port: 0 })],
      logger: silentLogger,
      drainMs: 0,
    });
    cleanup.push(() => platform.stop());
    await platform.relay.ready();
    const frontend = platform.frontends.find((f) => f.name === 'console') as ConsoleFrontend;
    return { platform, url: frontend.url ?? '' };
  }

  it('reads the version and models of a server behind basic auth with its credentials', async () => {
    const header = `Basic ${Buffer.from('ops:s3cret').toString('base64')}`;
    let gateway: HttpGateway | undefined;
    const { url } = await consoleOnPlatform({
      gateway: async (target) =>
        (gateway = await HttpGateway.start({
          target,
          refuse: (request) => (request.authorization === header ? undefined : 401),
        })),
      auth: { username: 'ops', password: 's3cret' },
    });
    const { backends } = (await (await fetch(`${url}api/backends`)).json()) as {
      backends: { version?: string; problems: string[]; models: Record<string, string[]> }[];
    };
    expect(backends).toHaveLength(1);
    expect(backends[0]?.problems).toEqual([]);
    expect(backends[0]?.version).toEqual(expect.any(String));
    expect(backends[0]?.models['checkpoints']?.length).toBeGreaterThan(0);
    expect(gateway?.requests.filter((request) => request.authorization !== header)).toEqual([]);
    expect(gateway?.requests.some((request) => request.path.startsWith('/system_stats'))).toBe(
      true,
    );
  });

  it('shows the latency of the platform’s store and the 429s its chat apps met', async () => {
    const { platform, url } = await consoleOnPlatform();
    const scrape = async () => (await fetch(`${url}metrics`)).text();
    expect(await scrape()).toContain('comfyrelay_platform_rate_limited_total');
    const handle = await platform.relay.generate(
      'image.txt2img',
      { prompt: 'timed', steps: 2 },
      { origin: { platform: 'telegram', userId: '7' } },
    );
    await handle.done;
    await fetch(`${url}api/generations`);
    // As the chat apps report them, through AppContext.metrics (chat's outbox calls the hook).
    platform.metrics.rateLimited({ platform: 'telegram', scope: 'chat', retryAfterMs: 3_000 });
    platform.metrics.rateLimited({ platform: 'telegram', scope: 'global', retryAfterMs: 1_000 });
    const text = await scrape();
    expect(sample(text, 'comfyrelay_store_seconds_count{operation="save"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(text, 'comfyrelay_store_seconds_count{operation="list"}')).toBe(1);
    expect(sample(text, 'comfyrelay_platform_rate_limited_total{platform="telegram"}')).toBe(2);
  });
});

/** One sample's value from the Prometheus text, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

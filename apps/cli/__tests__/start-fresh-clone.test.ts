import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isPng } from '@comfyrelay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/capture.js';
import { buildBin } from './helpers/childBin.js';
import { liveEvents } from './helpers/liveEvents.js';
import {
  killLeftoverPlatforms,
  postGeneration,
  startPlatformBin,
  type ApiGeneration,
} from './helpers/startedPlatform.js';

/**
 * Issue #13: `pnpm start` on a fresh clone, no config and no server: the built binary starts the
 * simulator and the console, and the console is where a newcomer tries it.
 */

let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  await buildBin();
  dir = await tempDir('comfyrelay-fresh-');
}, 180_000);

afterAll(async () => {
  await killLeftoverPlatforms();
  await dir?.remove();
});

describe('comfyrelay start with no config and no server', () => {
  it('runs on the simulator, says so, serves the console (health, readiness, a generation and its image) and stops on SIGTERM', async () => {
    const platform = await startPlatformBin(['--port', '0'], { cwd: dir.path });
    const { run } = platform;
    const banner = run.stdout();
    expect(banner).toMatch(/^comfyrelay \d+\.\d+\.\d+ is running\n/);
    expect(banner).toMatch(
      /console +open http:\/\/127\.0\.0\.1:\d+\/ in a browser \(this machine only/,
    );
    expect(banner).toMatch(
      /ComfyUI +http:\/\/127\.0\.0\.1:\d+ \(the built-in simulator, as no ComfyUI server is configured: its pictures are not real\)/,
    );
    expect(banner).toContain(`data          ${join(dir.path, 'data')} `);
    expect(banner).toContain('config        the environment (no config file)');
    expect((await stat(join(dir.path, 'data'))).isDirectory()).toBe(true);
    // The log says it too (JSON lines on stderr, not a terminal).
    expect(run.stderr()).toContain('started its built-in ComfyUI simulator at http://127.0.0.1:');

    const health = await platform.api('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'up' });
    const ready = await platform.api('/readyz');
    expect(ready.status, await ready.clone().text()).toBe(200);

    const live = liveEvents(platform.eventsUrl);
    await live.waitFor((m) => m.type === 'snapshot');
    const generation = await postGeneration(platform, 'image.txt2img', {
      prompt: 'a lighthouse',
      steps: 2,
      width: 64,
      height: 64,
    });
    await live.waitFor((m) => m.type === 'succeeded' && m.id === generation.id);
    const record = (await (await platform.api(`/api/generations/${generation.id}`)).json()) as {
      generation: ApiGeneration;
    };
    expect(record.generation).toMatchObject({ status: 'succeeded', outputs: [expect.anything()] });
    const image = await platform.api(`/api/generations/${generation.id}/outputs/0`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(isPng(Buffer.from(await image.arrayBuffer()))).toBe(true);

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(await live.closed).toBe(1001);
    expect(run.stdout()).toMatch(
      /Press Ctrl-C to stop\.\nstopping: taking no new work; nothing is running on ComfyUI…\nstopped\n$/,
    );
  });
});

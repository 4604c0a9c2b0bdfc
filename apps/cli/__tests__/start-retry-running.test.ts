import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { FaultProxy } from '@comfyrelay/testkit';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
 * Issue #9 §4 as an operator runs it: the BUILT `comfyrelay start` with two ComfyUI servers, each
 * behind a TCP proxy, and `COMFYRELAY_RETRY_RUNNING_ON_UNREACHABLE` on. The server running a job
 * is cut off for good (connections refused, its sockets dropped): once the grace is over the job
 * starts over on the other server and succeeds there, and the process stays up throughout.
 */

/** Steps wait this long on a server until the test lets them go: a job there stays running. */
const HOLD_MS = 600_000;
const values = { prompt: 'a lighthouse', steps: 2, width: 64, height: 64 };

let dir: Awaited<ReturnType<typeof tempDir>>;
let sims: ComfySimulator[];
let proxies: FaultProxy[];

beforeAll(async () => {
  await buildBin();
}, 180_000);

beforeEach(async () => {
  dir = await tempDir('comfyrelay-retry-running-');
  sims = await Promise.all(
    [0, 1].map(() => ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: HOLD_MS })),
  );
  proxies = await Promise.all(
    sims.map((sim) => FaultProxy.start({ target: { host: '127.0.0.1', port: sim.port } })),
  );
});

afterEach(async () => {
  await killLeftoverPlatforms();
  for (const proxy of proxies) await proxy.stop();
  for (const sim of sims) {
    sim.setStepDelay(0);
    await sim.stop();
  }
  await dir.remove();
});

async function historyOf(sim: ComfySimulator): Promise<string[]> {
  return Object.keys((await (await fetch(`${sim.url}/history`)).json()) as object);
}

/**
 * `comfyrelay start` on both proxies; posts a job and resolves once it runs on one server, which
 * is then cut off for good. Returns which server was lost.
 */
async function runThenLoseItsServer(retry: boolean) {
  const platform = await startPlatformBin(
    [
      '--comfy',
      proxies.map((proxy) => proxy.url).join(','),
      '--data-dir',
      join(dir.path, 'data'),
      '--port',
      '0',
    ],
    {
      cwd: dir.path,
      env: {
        COMFYRELAY_RETRY_RUNNING_ON_UNREACHABLE: String(retry),
        COMFYRELAY_UNREACHABLE_GRACE_SECONDS: '1',
      },
    },
  );
  const live = liveEvents(platform.eventsUrl);
  await live.waitFor((m) => m.type === 'snapshot');

  const startedOn = new Promise<number>((resolve) =>
    sims.forEach((sim, index) => sim.once('execution-start', () => resolve(index))),
  );
  const generation = await postGeneration(platform, 'image.txt2img', values);
  const lost = await startedOn;
  await live.waitFor((m) => m.type === 'started' && m.id === generation.id);

  sims[1 - lost]!.setStepDelay(5);
  await proxies[lost]!.refuse(true, { dropExisting: true });
  const record = async () =>
    (
      (await (await platform.api(`/api/generations/${generation.id}`)).json()) as {
        generation: ApiGeneration & { error?: { code?: string; message: string } };
      }
    ).generation;
  return { platform, live, generation, lost, other: 1 - lost, record };
}

describe('comfyrelay start, when the server running a job is gone for good', () => {
  it('with retryRunningOnUnreachable, starts the job over on the other server past the grace', async () => {
    const { platform, live, generation, lost, other, record } = await runThenLoseItsServer(true);
    const succeeded = await live.waitFor((m) => m.type === 'succeeded' && m.id === generation.id);
    expect(platform.run.child.exitCode).toBeNull();
    expect(await record()).toMatchObject({ status: 'succeeded', outputs: [expect.anything()] });
    // Run to the end on the other server, once; the lost server never finished it.
    expect(await historyOf(sims[other]!)).toHaveLength(1);
    expect(await historyOf(sims[lost]!)).toEqual([]);
    // Started twice (once per server), succeeded once.
    const own = live.messages.filter((m) => m.id === generation.id);
    expect(own.filter((m) => m.type === 'started')).toHaveLength(2);
    expect(own.filter((m) => m.type === 'succeeded')).toEqual([succeeded]);

    platform.run.child.kill('SIGTERM');
    expect(await platform.run.exit).toBe(0);
  });

  it('without it, the job fails in words past the grace, and the other server never gets it', async () => {
    const { platform, live, generation, lost, other, record } = await runThenLoseItsServer(false);
    await live.waitFor((m) => m.type === 'failed' && m.id === generation.id);
    expect(platform.run.child.exitCode).toBeNull();
    expect((await record()).error).toEqual({
      code: 'unreachable',
      message: `ComfyUI at ${proxies[lost]!.url} could not be reached for 1 second; the generation was given up.`,
    });
    expect(await historyOf(sims[other]!)).toEqual([]);

    platform.run.child.kill('SIGTERM');
    expect(await platform.run.exit).toBe(0);
  });
});

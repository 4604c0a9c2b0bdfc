import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendPool } from '../src/backend/BackendPool.js';
import { ComfyRelay } from '../src/ComfyRelay.js';
import { createRelayContainer } from '../src/di/createRelayContainer.js';
import { BackendPoolToken } from '../src/di/tokens.js';
import type { RelayEvent } from '../src/events.js';
import type { GenerationHandle } from '../src/generation/GenerationHandle.js';
import { submitGraph } from '../src/internal/launchers.js';
import type { RelayConfig } from '../src/RelayConfig.js';
import { LimitError } from '../src/scheduling/Limits.js';
import { silentLogger } from '../src/util/Logger.js';
import { eventsOfGeneration, progressWorkflow, txt2imgWorkflow } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';

interface Setup {
  relay: ComfyRelay;
  pool: BackendPool;
  sims: ComfySimulator[];
  events: RelayEvent[];
  asUser(userId: string, graph?: ReturnType<typeof progressWorkflow>): Promise<GenerationHandle>;
}

let current: Setup | undefined;

async function setup(
  config: Partial<RelayConfig> = {},
  sims: ComfySimulator[] | undefined = undefined,
): Promise<Setup> {
  const servers = sims ?? [await ComfySimulator.start({ port: 0, stepDelayMs: 2 })];
  const container = createRelayContainer(
    {
      backends: servers.map((sim, i) => ({ id: `sim${i}`, url: sim.url })),
      historyRetryDelayMs: 20,
      ...config,
    },
    { logger: silentLogger },
  );
  const relay = container.resolve(ComfyRelay);
  const pool = container.resolve(BackendPoolToken);
  const events: RelayEvent[] = [];
  relay.subscribe({ send: (event) => void events.push(event) }, { coalesce: false });
  await relay.start();
  await waitFor(() => pool.backends.every((b) => b.healthy && b.capabilities), {
    what: 'every backend connected and its /object_info read',
  });
  current = {
    relay,
    pool,
    sims: servers,
    events,
    asUser: (userId, graph = progressWorkflow(2)) =>
      submitGraph(relay, graph, { origin: { platform: 'test', userId } }),
  };
  return current;
}

describe("comfyrelay's own queue in front of the backends", () => {
  afterEach(async () => {
    await current?.relay.stop();
    await Promise.all(current?.sims.map((sim) => sim.stop()) ?? []);
    current = undefined;
  });

  it("is fair: user A's 20 requests do not keep user B's one waiting (B starts within perBackend + 1 starts)", async () => {
    const { sims, asUser } = await setup();
    const sim = sims[0]!;
    const starts: string[] = [];
    sim.on('execution-start', ({ promptId }) => starts.push(promptId));
    sim.holdExecution();
    const fromA: GenerationHandle[] = [];
    for (let i = 0; i < 20; i++) fromA.push(await asUser('A'));
    const fromB = await asUser('B');
    sim.releaseExecution();
    await Promise.all([...fromA, fromB].map((job) => job.done));
    const perBackend = 2;
    expect(starts.indexOf(fromB.promptId)).toBeLessThan(perBackend + 1);
    expect(starts).toHaveLength(21);
  });

  it('hands a backend only perBackend prompts at a time; positions count our queue and the backend', async () => {
    const { sims, asUser, events } = await setup({ scheduling: { perBackend: 1 } });
    const sim = sims[0]!;
    sim.holdExecution();
    const jobs = [await asUser('A'), await asUser('B'), await asUser('C')];
    await waitFor(() => sim.queueSnapshot().pending.length === 1, { what: 'the first post' });
    // Only the first reached ComfyUI; the others wait in comfyrelay's queue, behind it.
    expect(sim.queueSnapshot().pending).toEqual([jobs[0]!.promptId]);
    const positions = () => jobs.map((job) => job.record().position);
    await waitFor(() => positions().every((p) => p !== undefined), { what: 'positions' });
    expect(positions()).toEqual([1, 2, 3]);
    sim.releaseExecution();
    await Promise.all(jobs.map((job) => job.done));
    // The last one's place moved up as the queue drained, one `queued` per change.
    const seen = eventsOfGeneration(events, jobs[2]!.id)
      .filter((e) => e.type === 'queued')
      .map((e) => (e as { position: number }).position);
    expect(seen[0]).toBe(3);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(events.filter((e) => e.type === 'queued')).toEqual([]); // all-events subscribers get `positions`
  });

  it('a job waiting in our queue behind one that runs is next: position 1, one ahead', async () => {
    const { asUser, relay } = await setup({ scheduling: { perBackend: 1 } });
    const running = await asUser('A', progressWorkflow(5_000));
    await waitFor(() => running.record().status === 'running', { what: 'the first to run' });
    const next = await asUser('B');
    const after = await asUser('C');
    // Places follow the server's view; a view older than the first job's start settles at once.
    const slots = () => [next, after].map(({ record }) => [record().position, record().ahead]);
    await waitFor(() => JSON.stringify(slots()) === '[[1,1],[2,2]]', {
      what: 'B next (position 1, the running one ahead), C after it',
    });
    expect(running.record().status).toBe('running');
    await relay.cancel(running.id);
    await Promise.all([running, next, after].map((job) => job.done));
  });

  it('cancelling a job that waits in our queue never touches ComfyUI', async () => {
    const { sims, asUser, relay } = await setup({ scheduling: { perBackend: 1 } });
    const sim = sims[0]!;
    const calls: string[] = [];
    sim.on('http', ({ method, path }) => calls.push(`${method} ${path}`));
    sim.holdExecution();
    const first = await asUser('A');
    const waiting = await asUser('A');
    await waitFor(() => sim.queueSnapshot().pending.length === 1, { what: 'the first post' });
    calls.length = 0;
    expect(await relay.cancel(waiting.id)).toBe(true);
    expect((await waiting.done).status).toBe('cancelled');
    expect(calls.filter((call) => call.startsWith('POST'))).toEqual([]);
    sim.releaseExecution();
    expect((await first.done).status).toBe('succeeded');
    expect(sim.queueSnapshot()).toEqual({ running: [], pending: [] });
  });

  it('refuses, in words, what a limit does not allow', async () => {
    const { asUser, sims } = await setup({
      scheduling: { limits: { perUserConcurrent: 2, globalQueued: 3 } },
    });
    sims[0]!.holdExecution();
    await asUser('A');
    await asUser('A');
    const refused = await asUser('A').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LimitError);
    expect((refused as LimitError).code).toBe('user-concurrent');
    expect((refused as Error).message).toBe(
      'You have 2 generations in progress, the most allowed; try again when one finishes.',
    );
    // Someone else may still ask.
    await expect(asUser('B')).resolves.toBeDefined();
  });

  it('admins (by role) go first and have no limits', async () => {
    const { sims, relay } = await setup({
      scheduling: { perBackend: 1, adminRoles: ['admin'], limits: { perUserConcurrent: 1 } },
    });
    const sim = sims[0]!;
    const starts: string[] = [];
    sim.on('execution-start', ({ promptId }) => starts.push(promptId));
    sim.holdExecution();
    const user = (userId: string) =>
      submitGraph(relay, progressWorkflow(2), { origin: { platform: 'test', userId } });
    const admin = () =>
      submitGraph(relay, progressWorkflow(2), {
        origin: { platform: 'test', userId: 'root', roles: ['admin'] },
      });
    const a = await user('A');
    const b = await user('B');
    const boss = [await admin(), await admin()];
    sim.releaseExecution();
    await Promise.all([a, b, ...boss].map((job) => job.done));
    // A was already on the server; the admin's two go before B's.
    expect(starts).toEqual([a.promptId, boss[0]!.promptId, boss[1]!.promptId, b.promptId]);
  });
});

describe('routing by capability', () => {
  afterEach(async () => {
    await current?.relay.stop();
    await Promise.all(current?.sims.map((sim) => sim.stop()) ?? []);
    current = undefined;
  });

  it('sends a job only where its model is, and names what no server has', async () => {
    const sims = [
      await ComfySimulator.start({ port: 0, stepDelayMs: 2, checkpoints: ['common.safetensors'] }),
      await ComfySimulator.start({
        port: 0,
        stepDelayMs: 2,
        checkpoints: ['common.safetensors', 'rare.safetensors'],
      }),
    ];
    const { relay } = await setup({}, sims);
    const graph = txt2imgWorkflow(2);
    graph['4']!.inputs['ckpt_name'] = 'rare.safetensors';
    for (let i = 0; i < 3; i++) {
      const job = await submitGraph(relay, structuredClone(graph));
      const record = await job.done;
      expect(record.status).toBe('succeeded');
      expect(record.backend).toBe('sim1');
    }
    graph['4']!.inputs['ckpt_name'] = 'nowhere.safetensors';
    await expect(submitGraph(relay, graph)).rejects.toThrow(
      'No ComfyUI server can run this: checkpoint "nowhere.safetensors" is missing.',
    );
  });
});

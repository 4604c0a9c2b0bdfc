import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendPool } from '../src/backend/BackendPool.js';
import { ComfyRelay } from '../src/ComfyRelay.js';
import { createRelayContainer } from '../src/di/createRelayContainer.js';
import { BackendPoolToken } from '../src/di/tokens.js';
import type { RelayEvent } from '../src/events.js';
import type { GenerationHandle } from '../src/generation/GenerationHandle.js';
import type { GenerationRecord } from '../src/generation/GenerationState.js';
import { InMemoryGenerationStore } from '../src/generation/GenerationStore.js';
import { submitGraph } from '../src/internal/launchers.js';
import type { RelayConfig } from '../src/RelayConfig.js';
import { silentLogger } from '../src/util/Logger.js';
import { progressWorkflow } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';

/** Long enough that a step never ends while a test looks at it; set back to let it go on. */
const STALLED_MS = 60_000;

/** How often a simulator was handed a prompt id. */
function countQueued(sim: ComfySimulator): (promptId: string) => number {
  const seen = new Map<string, number>();
  sim.on('prompt-queued', ({ promptId }) => seen.set(promptId, (seen.get(promptId) ?? 0) + 1));
  return (promptId) => seen.get(promptId) ?? 0;
}

describe('a generation running on a server that stays unreachable', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function simulators(): Promise<[ComfySimulator, ComfySimulator]> {
    const sims = [
      await ComfySimulator.start({ port: 0, stepDelayMs: 2 }),
      await ComfySimulator.start({ port: 0, stepDelayMs: 2 }),
    ];
    cleanup.push(async () => void (await Promise.all(sims.map((sim) => sim.stop()))));
    return sims as [ComfySimulator, ComfySimulator];
  }

  function relayOn(
    sims: [ComfySimulator, ComfySimulator],
    config: Partial<RelayConfig>,
    store = new InMemoryGenerationStore(),
  ) {
    const container = createRelayContainer(
      {
        backends: sims.map((sim, i) => ({ id: `sim${i}`, url: sim.url })),
        historyRetryDelayMs: 20,
        connection: { backoff: { initialMs: 20, maxMs: 100 } },
        unreachableGraceMs: 150,
        failoverAfterMs: 50,
        ...config,
      },
      { logger: silentLogger, store },
    );
    const relay = container.resolve(ComfyRelay);
    const pool: BackendPool = container.resolve(BackendPoolToken);
    const events: RelayEvent[] = [];
    relay.subscribe({ send: (event) => void events.push(event) }, { coalesce: false });
    cleanup.push(() => relay.stop());
    return { relay, pool, events, store };
  }

  /** Its events, by type, in order. */
  function typesOf(events: RelayEvent[], id: string): string[] {
    return events.filter((event) => 'id' in event && event.id === id).map((event) => event.type);
  }

  function startedCount(events: RelayEvent[], id: string): number {
    return typesOf(events, id).filter((type) => type === 'started').length;
  }

  /**
   * A (sim0) takes the generation while B (sim1) refuses connections; it starts there and stalls
   * after its first step; B comes up; then A goes away (connections refused, sockets dropped)
   * with the generation running on it.
   */
  async function runningOnAThenAGoesAway(config: Partial<RelayConfig>) {
    const sims = await simulators();
    const [a, b] = sims;
    const queuedOn = { a: countQueued(a), b: countQueued(b) };
    const setup = relayOn(sims, config);
    const { relay, pool } = setup;
    b.faults.refuseConnections(true);
    await relay.start();
    await waitFor(() => pool.get('sim0')?.healthy, { what: 'A' });
    const stall = () => a.setStepDelay(STALLED_MS);
    a.once('step', stall);
    const job = await submitGraph(relay, progressWorkflow(3));
    await waitFor(() => job.record().progress?.step === 1, { what: 'its first step on A' });
    b.faults.refuseConnections(false);
    await waitFor(() => pool.get('sim1')?.healthy, { what: 'B' });
    a.faults.refuseConnections(true);
    a.faults.dropSockets();
    return { ...setup, sims, queuedOn, job };
  }

  it('with retryRunningOnUnreachable it starts over on the other server and runs there exactly once; what the lost server says later changes nothing', async () => {
    const { relay, pool, events, store, sims, queuedOn, job } = await runningOnAThenAGoesAway({
      retryRunningOnUnreachable: true,
    });
    const [a] = sims;

    let waitingAgain: GenerationRecord | undefined;
    relay.subscribe(
      {
        send: (event) => {
          if (event.type === 'queued') waitingAgain ??= job.record();
        },
      },
      { generation: job.id },
    );
    const record = await job.done;
    expect(record.status).toBe('succeeded');
    expect(record.backend).toBe('sim1');
    // Back in comfyrelay's queue, from the start: no backend, no start, progress from zero.
    expect(waitingAgain).toMatchObject({ status: 'queued', progress: { fraction: 0 } });
    expect(waitingAgain?.backend).toBeUndefined();
    expect(waitingAgain?.startedAt).toBeUndefined();
    expect(record.outputs?.[0]?.backend).toBe('sim1');
    // Frontends saw it go back to waiting, then start again from the start.
    const types = typesOf(events, job.id);
    const firstStart = types.indexOf('started');
    const backToQueue = types.indexOf('queued', firstStart);
    expect(backToQueue).toBeGreaterThan(firstStart);
    // …told so: a place in a queue after a start is otherwise a view from before it.
    expect(
      events.filter((event) => event.type === 'queued' && event.id === job.id).at(-1),
    ).toMatchObject({
      startedOver: true,
    });
    expect(types.indexOf('started', backToQueue)).toBeGreaterThan(backToQueue);
    expect(types.filter((type) => type === 'succeeded')).toHaveLength(1);
    expect(types).not.toContain('failed');
    expect(queuedOn.b(job.promptId)).toBe(1);
    // The mark that it was started over is in its stored record (a restart keeps it).
    expect((await store.get(job.id))?.retried).toBe(true);

    // A comes back, still running its copy: that copy is interrupted, and nothing A says of it
    // reaches the generation.
    const endOnA = a.nextEvent('execution-end', ({ promptId }) => promptId === job.promptId);
    a.faults.refuseConnections(false);
    await waitFor(() => pool.get('sim0')?.healthy, { what: 'A back' });
    expect((await endOnA).status).toBe('interrupted');
    a.setStepDelay(2);
    // A later generation on A is heard through: A's socket has been read past the late messages.
    const later = await submitGraph(relay, progressWorkflow(2), { pinned: 'sim0' });
    expect((await later.done).status).toBe('succeeded');
    expect(typesOf(events, job.id).slice(types.length)).toEqual([]);
    expect(await relay.record(job.id)).toMatchObject({ status: 'succeeded', backend: 'sim1' });
    expect(queuedOn.a(job.promptId)).toBe(1);
    expect(queuedOn.b(job.promptId)).toBe(1);
  });

  it('without it (the default) the generation fails in words once the grace has passed', async () => {
    const { job, events, queuedOn } = await runningOnAThenAGoesAway({});
    const record = await job.done;
    expect(record.status).toBe('failed');
    expect(record.error).toEqual({
      code: 'unreachable',
      message: expect.stringMatching(
        /^ComfyUI at http:\/\/127\.0\.0\.1:\d+ could not be reached for .+; the generation was given up\.$/,
      ) as unknown as string,
    });
    expect(queuedOn.b(job.promptId)).toBe(0);
    expect(typesOf(events, job.id)).not.toContain('queued');
  });

  it('starts it over only once: lost a second time, it fails in words', async () => {
    const { job, events, sims, queuedOn } = await runningOnAThenAGoesAway({
      retryRunningOnUnreachable: true,
    });
    const [, b] = sims;
    b.setStepDelay(STALLED_MS);
    await waitFor(() => startedCount(events, job.id) === 2, { what: 'it to start over on B' });
    b.faults.refuseConnections(true);
    b.faults.dropSockets();

    const record = await job.done;
    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe('unreachable');
    expect(record.error?.message).toMatch(
      /could not be reached for .+; the generation had already been started over once after losing its server, so it was given up\.$/,
    );
    expect(queuedOn.b(job.promptId)).toBe(1);
    expect(startedCount(events, job.id)).toBe(2);
  });

  it('the mark survives a restart: started over before it, lost after it, it fails in words', async () => {
    const first = await runningOnAThenAGoesAway({ retryRunningOnUnreachable: true });
    const { job, sims, store } = first;
    const [, b] = sims;
    b.setStepDelay(STALLED_MS);
    await waitFor(() => startedCount(first.events, job.id) === 2, {
      what: 'it to start over on B',
    });
    await waitFor(async () => (await store.get(job.id))?.backend === 'sim1', {
      what: 'its record on B',
    });
    await first.relay.stop();
    b.faults.refuseConnections(true);
    b.faults.dropSockets();

    const second = relayOn(sims, { retryRunningOnUnreachable: true }, store);
    await second.relay.start();
    const handle: GenerationHandle | undefined = second.relay.handle(job.id);
    expect(handle).toBeDefined();
    const record = await handle!.done;
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(/had already been started over once/);
  });
});

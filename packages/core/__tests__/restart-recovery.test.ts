import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { ComfyRelay } from '../src/ComfyRelay.js';
import { createRelayContainer } from '../src/di/createRelayContainer.js';
import type { RelayEvent } from '../src/events.js';
import { ShuttingDownError } from '../src/errors.js';
import type { GenerationHandle } from '../src/generation/GenerationHandle.js';
import { InMemoryGenerationStore } from '../src/generation/GenerationStore.js';
import { submitGraph } from '../src/internal/launchers.js';
import type { RelayConfig } from '../src/RelayConfig.js';
import { silentLogger } from '../src/util/Logger.js';
import { progressWorkflow } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';

/** A relay on `store`: stopping one and starting another on the same store is a restart. */
function relayOn(
  sim: ComfySimulator,
  store: InMemoryGenerationStore,
  config: Partial<RelayConfig> = {},
) {
  const relay = createRelayContainer(
    { backends: [{ id: 'sim', url: sim.url }], historyRetryDelayMs: 20, ...config },
    { logger: silentLogger, store },
  ).resolve(ComfyRelay);
  const events: RelayEvent[] = [];
  relay.subscribe({ send: (event) => void events.push(event) }, { coalesce: false });
  return { relay, events };
}

async function history(sim: ComfySimulator): Promise<string[]> {
  return Object.keys((await (await fetch(`${sim.url}/history`)).json()) as object);
}

async function accepted(handle: GenerationHandle): Promise<void> {
  await waitFor(() => handle.record().submittedAt !== undefined, { what: 'its POST' });
}

describe('nothing is lost on a restart (same store)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function simulator(): Promise<ComfySimulator> {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    cleanup.push(() => sim.stop());
    return sim;
  }

  it('takes up what ran on ComfyUI and what waited in its own queue; each runs exactly once', async () => {
    const sim = await simulator();
    const store = new InMemoryGenerationStore();
    const first = relayOn(sim, store, { scheduling: { perBackend: 1 } });
    await first.relay.start();
    await first.relay.ready();
    sim.holdExecution();
    const jobs = [
      await submitGraph(first.relay, progressWorkflow(2)),
      await submitGraph(first.relay, progressWorkflow(2)),
      await submitGraph(first.relay, progressWorkflow(2)),
    ];
    await accepted(jobs[0]!);
    await first.relay.stop(); // one on ComfyUI's queue, two in ours

    const second = relayOn(sim, store, { scheduling: { perBackend: 1 } });
    cleanup.push(() => second.relay.stop());
    await second.relay.start();
    expect(
      second.relay
        .active()
        .map((record) => record.id)
        .sort(),
    ).toEqual(jobs.map((job) => job.id).sort());
    expect(second.events.filter((e) => e.type === 'resumed')).toHaveLength(3);
    sim.releaseExecution();
    const ends = await Promise.all(jobs.map((job) => second.relay.handle(job.id)!.done));
    expect(ends.map((end) => end.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect((await history(sim)).sort()).toEqual(jobs.map((job) => job.promptId).sort());
    expect((await store.get(jobs[1]!.id))?.status).toBe('succeeded');
  });

  it('collects what finished while it was down', async () => {
    const sim = await simulator();
    const store = new InMemoryGenerationStore();
    const first = relayOn(sim, store);
    await first.relay.start();
    await first.relay.ready();
    sim.holdExecution();
    const job = await submitGraph(first.relay, progressWorkflow(2));
    await accepted(job);
    await first.relay.stop();
    const ended = sim.nextEvent('execution-end', (e) => e.promptId === job.promptId);
    sim.releaseExecution();
    await ended;

    const second = relayOn(sim, store);
    cleanup.push(() => second.relay.stop());
    await second.relay.start();
    const record = await second.relay.handle(job.id)!.done;
    expect(record.status).toBe('succeeded');
    expect(record.outputs).toHaveLength(1);
    expect(await history(sim)).toEqual([job.promptId]);
  });

  it('a ComfyUI that restarted meanwhile: the one that never started runs again, once', async () => {
    const sim = await simulator();
    const store = new InMemoryGenerationStore();
    const first = relayOn(sim, store);
    await first.relay.start();
    await first.relay.ready();
    sim.holdExecution();
    const job = await submitGraph(first.relay, progressWorkflow(2));
    await accepted(job);
    await first.relay.stop();
    await sim.restart(); // its queue is gone
    sim.releaseExecution();

    const second = relayOn(sim, store);
    cleanup.push(() => second.relay.stop());
    await second.relay.start();
    const record = await second.relay.handle(job.id)!.done;
    expect(record.status).toBe('succeeded');
    expect(await history(sim)).toEqual([job.promptId]);
  });

  it('a graceful shutdown lets what runs on ComfyUI finish, refuses new work, and keeps our queue for the next start', async () => {
    const sim = await simulator();
    const store = new InMemoryGenerationStore();
    const first = relayOn(sim, store, { scheduling: { perBackend: 1 } });
    await first.relay.start();
    await first.relay.ready();
    sim.holdExecution();
    const running = await submitGraph(first.relay, progressWorkflow(2));
    const waiting = await submitGraph(first.relay, progressWorkflow(2));
    await accepted(running);

    const drained = first.relay.drain(60_000);
    const refused = submitGraph(first.relay, progressWorkflow(2));
    await expect(refused).rejects.toThrow(/shutting down; please try again/);
    await expect(refused).rejects.toBeInstanceOf(ShuttingDownError);
    sim.releaseExecution();
    expect(await drained).toBe(0); // resolved by the end of the running one, not by the bound
    expect(running.record().status).toBe('succeeded');
    expect(waiting.record().status).toBe('queued');
    await first.relay.stop();
    expect(await history(sim)).toEqual([running.promptId]); // the waiting one never went out

    const second = relayOn(sim, store, { scheduling: { perBackend: 1 } });
    cleanup.push(() => second.relay.stop());
    await second.relay.start();
    expect((await second.relay.handle(waiting.id)!.done).status).toBe('succeeded');
    expect((await history(sim)).sort()).toEqual([running.promptId, waiting.promptId].sort());
  });

  it('a drain bounded in time leaves what still runs for the next start', async () => {
    const sim = await simulator();
    const store = new InMemoryGenerationStore();
    const first = relayOn(sim, store);
    await first.relay.start();
    await first.relay.ready();
    sim.holdExecution();
    const job = await submitGraph(first.relay, progressWorkflow(2));
    await accepted(job);
    expect(await first.relay.drain(50)).toBe(1);
    await first.relay.stop();
    sim.releaseExecution();

    const second = relayOn(sim, store);
    cleanup.push(() => second.relay.stop());
    await second.relay.start();
    expect((await second.relay.handle(job.id)!.done).status).toBe('succeeded');
    expect(await history(sim)).toEqual([job.promptId]);
  });
});

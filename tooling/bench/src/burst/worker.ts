import { randomUUID } from 'node:crypto';
import type { ComfyRelay, GenerationHandle, RelayEvent, Subscription } from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { FakeComfy } from '../fakeComfyControl.js';
import { startProfile, stopProfile } from '../profile.js';
import { startBenchRelay } from '../relay/benchRelay.js';
import { EventTally } from '../relay/eventTally.js';
import { submitMany } from '../relay/submit.js';
import { waitUntil } from '../relay/waitUntil.js';
import { requestDelta } from '../throughput/measure.js';
import { txt2imgGraph } from '../workload.js';
import { AsyncSink, type Timing } from './asyncSink.js';

export type BurstScenario = 'reconcile' | 'submitted';

export interface BurstTask {
  scenario: BurstScenario;
  generations: number;
  /** Also one subscription per generation (reconcile only: `submitted` precedes the id). */
  perGeneration: boolean;
  timeoutMs: number;
}

export interface SubscriberOutcome {
  subscriptions: number;
  /** The burst's events each kind of subscriber took (one per generation expected). */
  delivered: number;
  events: number;
  /** First → last of the burst's events, ms. */
  drainMs: number | undefined;
  /** From the trigger to the first and to the last of them, ms. */
  firstSinceTriggerMs: number | undefined;
  sinceTriggerMs: number | undefined;
  /** Most events waiting in one subscription's queue. */
  maxPending: number;
  dropped: number;
  firstDrop: string | undefined;
}

export interface BurstReport {
  task: BurstTask;
  kind: RelayEvent['type'];
  allEvents: SubscriberOutcome;
  perGeneration: SubscriberOutcome | undefined;
  settled: number;
  heap: { baseline: number; peak: number; after: number };
  requests: Record<string, number>;
  timedOut: boolean;
}

interface Subscriber {
  sinks: AsyncSink[];
  subscriptions: Subscription[];
  tally: EventTally;
  timing: Timing;
  maxPending: number;
}

function subscriber(): Subscriber {
  return {
    sinks: [],
    subscriptions: [],
    tally: new EventTally(),
    timing: { firstAt: undefined, lastAt: undefined },
    maxPending: 0,
  };
}

function subscribe(relay: ComfyRelay, into: Subscriber, kind: RelayEvent['type'], id?: string) {
  const sink = new AsyncSink(kind, into.tally, into.timing);
  const subscription = relay.subscribe(sink, id === undefined ? {} : { generation: id });
  sink.onTerminal = id === undefined ? undefined : () => subscription.unsubscribe();
  into.sinks.push(sink);
  into.subscriptions.push(subscription);
}

function outcome(into: Subscriber, kind: RelayEvent['type'], triggeredAt: number) {
  const drops = into.sinks.filter((sink) => sink.dropped !== undefined);
  const { firstAt, lastAt } = into.timing;
  return {
    subscriptions: into.subscriptions.length,
    delivered: into.tally.count(kind),
    events: into.tally.total,
    drainMs: firstAt === undefined || lastAt === undefined ? undefined : lastAt - firstAt,
    firstSinceTriggerMs: firstAt === undefined ? undefined : firstAt - triggeredAt,
    sinceTriggerMs: lastAt === undefined ? undefined : lastAt - triggeredAt,
    maxPending: into.maxPending,
    dropped: drops.length,
    firstDrop: drops[0]?.dropped?.message,
  };
}

const gc = (): void => {
  global.gc?.();
  global.gc?.();
};

/**
 * 10,000 non-coalescable events published in one tick through a whole relay, to asynchronous
 * sinks: `reconcile` — the socket is cut while ComfyUI finishes every queued prompt, and the
 * reconnect settles them all from one history read (a `succeeded` each); `submitted` — 10,000
 * submissions made in one loop (a `submitted` each, before any is posted).
 */
export async function runBurstTask(task: BurstTask): Promise<BurstReport> {
  const server = await FakeComfy.start();
  // 10,000 submissions wait in comfyrelay's own queue, as core sets it (a few on ComfyUI).
  const { relay, backend } = await startBenchRelay(server.url, `burst-${randomUUID()}`, {
    coreQueue: task.scenario === 'submitted',
  });
  const kind = task.scenario === 'reconcile' ? 'succeeded' : 'submitted';
  const all = subscriber();
  const each = subscriber();
  try {
    await server.configure({ withStatus: false, writes: 'bulk', statusOnEnqueue: true });
    subscribe(relay, all, kind);
    let handles: GenerationHandle[] = [];
    if (task.scenario === 'reconcile') {
      handles = await submitMany(relay, task.generations, {
        batch: 500,
        posted: (count) => server.waitQueued(count),
      });
      if (task.perGeneration) for (const handle of handles) subscribe(relay, each, kind, handle.id);
      await waitUntil(() => backend.queue.length >= task.generations, task.timeoutMs);
      await waitUntil(() => all.subscriptions.every((s) => s.pending === 0), task.timeoutMs);
    }
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      for (const into of [all, each])
        for (const subscription of into.subscriptions)
          into.maxPending = Math.max(into.maxPending, subscription.pending);
    }, 5);
    const before = await server.stats();
    await startProfile();
    const triggeredAt = performance.now();
    let submissions: Promise<unknown>[] = [];
    if (task.scenario === 'reconcile') {
      await server.vanish();
    } else {
      submissions = Array.from({ length: task.generations }, (_, index) =>
        submitGraph(relay, txt2imgGraph(index)).catch(() => undefined),
      );
    }
    const expected = task.perGeneration ? 2 * task.generations : task.generations;
    const arrived = await waitUntil(
      () => all.tally.count(kind) + each.tally.count(kind) >= expected,
      task.timeoutMs,
    );
    clearInterval(sampler);
    await stopProfile(`burst-${task.scenario}`);
    const settled = handles.filter((handle) => handle.record().status === 'succeeded').length;
    await Promise.all(submissions);
    const after = await server.stats();
    const allEvents = outcome(all, kind, triggeredAt);
    const perGeneration = task.perGeneration ? outcome(each, kind, triggeredAt) : undefined;
    // What the relay still holds once the burst is over, not this benchmark's bookkeeping.
    for (const into of [all, each]) {
      for (const subscription of into.subscriptions) subscription.unsubscribe();
      into.subscriptions.length = 0;
      into.sinks.length = 0;
    }
    handles = [];
    gc();
    return {
      task,
      kind,
      allEvents,
      perGeneration,
      settled,
      heap: { baseline, peak, after: process.memoryUsage().heapUsed },
      requests: requestDelta(before, after),
      timedOut: !arrived,
    };
  } finally {
    await relay.stop();
    server.stop();
  }
}

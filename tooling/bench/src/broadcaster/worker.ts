import { monitorEventLoopDelay } from 'node:perf_hooks';
import { relayCoalesceKey } from '@comfyrelay/core';
import { summarize, type LatencySummary } from '../stats.js';
import { createBroadcaster, type BroadcasterBuild } from './builds.js';
import { progressEvent, sleepUntil, type BenchEvent } from './events.js';

export interface BroadcasterTask {
  /** The broadcaster as it was before core's restructure (a frozen copy), or core's own. */
  build: BroadcasterBuild;
  fast: number;
  stalled: number;
  ratePerSecond: number;
  seconds: number;
  sendTimeoutMs: number;
  /** Generations the progress events belong to (coalescing is per generation). */
  generations: number;
}

export interface Evictions {
  count: number;
  /** ms after the first publish. */
  firstMs: number | undefined;
  lastMs: number | undefined;
  reasons: Record<string, number>;
}

export interface BroadcasterReport {
  task: BroadcasterTask;
  published: number;
  expectedToFast: number;
  deliveredToFast: number;
  /** Fast subscribers dropped (should be none). */
  fastDropped: number;
  latency: LatencySummary;
  /** Deliveries of events published from 250 ms before the first eviction to 250 ms after the last. */
  latencyAroundEviction: LatencySummary | undefined;
  latencyElsewhere: LatencySummary | undefined;
  evictions: Evictions;
  publishCostUs: LatencySummary;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  heap: { baseline: number; peak: number; end: number };
}

/** A Broadcaster in-process: fast async sinks, optionally stalled ones, a steady event rate. */
export async function runBroadcasterTask(task: BroadcasterTask): Promise<BroadcasterReport> {
  const total = Math.round(task.ratePerSecond * task.seconds);
  const latencies = new Float64Array(task.fast * total);
  const latencySeq = new Uint32Array(task.fast * total);
  const publishCost = new Float64Array(total);
  const publishedAt = new Float64Array(total);
  let deliveries = 0;
  let start = 0;
  const evictions: Evictions = { count: 0, firstMs: undefined, lastMs: undefined, reasons: {} };
  let fastDropped = 0;
  const stalledNames = new Set<string>();

  const broadcaster = createBroadcaster<BenchEvent>(task.build, {
    sendTimeoutMs: task.sendTimeoutMs,
    coalesceKey: relayCoalesceKey,
    onDrop: (subscription, reason) => {
      if (reason.code === 'broadcaster-closed') return;
      if (!stalledNames.has(subscription.name)) {
        fastDropped++;
        return;
      }
      const at = performance.now() - start;
      evictions.count++;
      evictions.firstMs ??= at;
      evictions.lastMs = at;
      evictions.reasons[reason.code] = (evictions.reasons[reason.code] ?? 0) + 1;
    },
  });

  // Stalled subscribers are spread among the fast ones, not bunched at the end.
  const count = task.fast + task.stalled;
  const stallEvery = task.stalled > 0 ? count / task.stalled : Infinity;
  let nextStall = stallEvery / 2;
  let fastIndex = 0;
  for (let index = 0; index < count; index++) {
    if (index >= nextStall && stalledNames.size < task.stalled) {
      nextStall += stallEvery;
      const name = `stalled ${index}`;
      stalledNames.add(name);
      broadcaster.subscribe({ send: () => new Promise<void>(() => undefined) }, { name });
      continue;
    }
    const microtask = fastIndex++ % 2 === 0;
    broadcaster.subscribe(
      {
        send: (event) => {
          latencies[deliveries] = performance.now() - event.publishedAt;
          latencySeq[deliveries] = event.seq;
          deliveries++;
          return microtask
            ? Promise.resolve()
            : new Promise<void>((resolve) => setImmediate(resolve));
        },
      },
      { name: `fast ${index}` },
    );
  }

  global.gc?.();
  global.gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();

  start = performance.now();
  const interval = 1000 / task.ratePerSecond;
  for (let seq = 0; seq < total; seq++) {
    await sleepUntil(start + seq * interval);
    const now = performance.now();
    const event = progressEvent(seq, task.generations, now);
    publishedAt[seq] = now - start;
    broadcaster.publish(event);
    publishCost[seq] = (performance.now() - now) * 1000;
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  loopDelay.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  global.gc?.();
  global.gc?.();
  const end = process.memoryUsage().heapUsed;
  broadcaster.close();

  const all = latencies.subarray(0, deliveries);
  let around: LatencySummary | undefined;
  let elsewhere: LatencySummary | undefined;
  if (evictions.firstMs !== undefined && evictions.lastMs !== undefined) {
    const from = evictions.firstMs - 250;
    const to = evictions.lastMs + 250;
    const inside: number[] = [];
    const outside: number[] = [];
    for (let index = 0; index < deliveries; index++) {
      const at = publishedAt[latencySeq[index] ?? 0] ?? 0;
      (at >= from && at <= to ? inside : outside).push(latencies[index] ?? 0);
    }
    around = summarize(inside);
    elsewhere = summarize(outside);
  }
  return {
    task,
    published: total,
    expectedToFast: task.fast * total,
    deliveredToFast: deliveries,
    fastDropped,
    latency: summarize(all),
    latencyAroundEviction: around,
    latencyElsewhere: elsewhere,
    evictions,
    publishCostUs: summarize(publishCost),
    eventLoopDelayMs: {
      p50: loopDelay.percentile(50) / 1e6,
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    },
    heap: { baseline, peak, end },
  };
}

import { randomUUID } from 'node:crypto';
import type { RelayEvent, StoredGeneration } from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { FakeComfy } from '../fakeComfyControl.js';
import { startBenchRelay } from '../relay/benchRelay.js';
import { BenchStore } from '../relay/benchStore.js';
import { isTerminal } from '../relay/eventTally.js';
import { waitUntil } from '../relay/waitUntil.js';
import { median } from '../stats.js';
import { requestDelta } from '../throughput/measure.js';
import { txt2imgGraph } from '../workload.js';

export interface ReattachTask {
  /** Unfinished records in the store at start, measured in turn round by round. */
  sizes: number[];
  rounds: number;
  timeoutMs: number;
}

/** How the records' prompts stand on the server when the relay starts again. */
export interface Split {
  /** Still waiting in ComfyUI's queue. */
  pending: number;
  /** Running (halfway through sampling). */
  running: number;
  /** Finished while the relay was down: in ComfyUI's history. */
  done: number;
  /** Unknown to ComfyUI (it restarted too), never started: posted again. */
  lostWaiting: number;
  /** Unknown to ComfyUI, had started: failed in words ('lost'). */
  lostStarted: number;
}

export interface ReattachRound {
  size: number;
  /** `relay.start()` (every record read and taken up) and the socket open, ms. */
  startMs: number;
  /** From the start until every generation is settled or followed again, ms. */
  reconciledMs: number | undefined;
  /** … and until every one is terminal once the fake ran what was left, ms. */
  allSettledMs: number | undefined;
  resumed: number;
  succeeded: number;
  failed: number;
  /** HTTP requests by route from the start to reconciled, and from there to all settled. */
  requests: Record<string, number>;
  requestsAfter: Record<string, number>;
  error?: string;
}

export interface ReattachReport {
  task: ReattachTask;
  splits: Split[];
  rounds: ReattachRound[];
  medians: { size: number; startMs: number; reconciledMs: number; allSettledMs: number }[];
}

export function splitOf(size: number): Split {
  const quarter = Math.floor(size / 4);
  const eighth = Math.floor(size / 8);
  return {
    pending: quarter,
    running: quarter,
    done: quarter,
    lostWaiting: eighth,
    lostStarted: size - 3 * quarter - eighth,
  };
}

/** A record as the relay writes it once its prompt is posted, to copy: one generation's worth. */
async function recordTemplate(server: FakeComfy): Promise<StoredGeneration> {
  const store = BenchStore.open('memory');
  const { relay } = await startBenchRelay(server.url, `template-${randomUUID()}`, { store });
  try {
    const handle = await submitGraph(relay, txt2imgGraph(0));
    await server.waitQueued(1);
    // Written before its POST: its prompt id, its backend, its graph and output specs.
    const record = await store.inner.get(handle.id);
    if (record?.backend === undefined) throw new Error('no record of a posted generation');
    return record;
  } finally {
    await relay.stop();
    await store.close();
    await server.reset();
  }
}

/** `size` unfinished records of prompts posted by `clientId`, arranged on the fake as `split`. */
async function leaveBehind(
  server: FakeComfy,
  store: BenchStore,
  template: StoredGeneration,
  size: number,
  clientId: string,
) {
  const split = splitOf(size);
  const now = Date.now();
  const ids = { pending: [], running: [], done: [], lostWaiting: [], lostStarted: [] } as Record<
    keyof Split,
    string[]
  >;
  let index = 0;
  for (const part of Object.keys(split) as (keyof Split)[]) {
    const started = part === 'running' || part === 'done' || part === 'lostStarted';
    for (let count = 0; count < split[part]; count++, index++) {
      const promptId = randomUUID();
      ids[part].push(promptId);
      const createdAt = now - 60_000 + index;
      const { position: _position, ahead: _ahead, ...rest } = template;
      await store.save({
        ...rest,
        id: randomUUID(),
        promptId,
        graph: txt2imgGraph(index),
        createdAt,
        submittedAt: createdAt + 5,
        status: started ? 'running' : 'queued',
        ...(started ? { startedAt: createdAt + 10 } : {}),
      });
    }
  }
  await server.arrange(clientId, {
    pending: ids.pending,
    running: ids.running,
    done: ids.done,
  });
  return split;
}

async function oneRound(
  server: FakeComfy,
  template: StoredGeneration,
  size: number,
  timeoutMs: number,
): Promise<ReattachRound> {
  await server.reset();
  const store = BenchStore.open('sqlite');
  const clientId = `reattach-${randomUUID()}`;
  const split = await leaveBehind(server, store, template, size, clientId);
  const counts = { resumed: 0, succeeded: 0, failed: 0, terminal: 0 };
  const take = (event: RelayEvent) => {
    if (event.type === 'resumed') counts.resumed++;
    else if (event.type === 'succeeded') counts.succeeded++;
    else if (event.type === 'failed') counts.failed++;
    if (isTerminal(event)) counts.terminal++;
  };
  global.gc?.();
  const before = await server.stats();
  const started = performance.now();
  const { relay } = await startBenchRelay(server.url, clientId, {
    store,
    beforeStart: (relay) => void relay.subscribe({ send: take }, { name: 'tally' }),
  });
  const startMs = performance.now() - started;
  const errors: string[] = [];
  try {
    // Settled or followed again: the finished and the started-then-lost ones ended, the
    // never-started lost ones posted again (the fake then holds every prompt but the lost
    // started ones), and the rest seen in the queue (nothing to wait for: nothing ends them).
    const onServer = size - split.lostStarted;
    const reposted = server.waitQueued(onServer, timeoutMs).then(
      () => true,
      () => false,
    );
    const ended = await waitUntil(
      () => counts.terminal >= split.done + split.lostStarted,
      timeoutMs,
    );
    const posted = await reposted;
    const reconciledMs = ended && posted ? performance.now() - started : undefined;
    if (!ended) errors.push(`${counts.terminal} ended of ${split.done + split.lostStarted}`);
    if (!posted) errors.push('the lost waiting ones were not posted again');
    const middle = await server.stats();
    await server.go();
    const all = await waitUntil(() => counts.terminal >= size, timeoutMs);
    const allSettledMs = all ? performance.now() - started : undefined;
    if (!all) errors.push(`${counts.terminal} of ${size} terminal`);
    const after = await server.stats();
    return {
      size,
      startMs,
      reconciledMs,
      allSettledMs,
      resumed: counts.resumed,
      succeeded: counts.succeeded,
      failed: counts.failed,
      requests: requestDelta(before, middle),
      requestsAfter: requestDelta(middle, after),
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    };
  } finally {
    await relay.stop();
    await store.close();
  }
}

/**
 * A relay started on a store of unfinished generations whose prompts stand on the (fake)
 * ComfyUI in every way they can after a restart; the sizes take turns round by round.
 */
export async function runReattachTask(task: ReattachTask): Promise<ReattachReport> {
  const server = await FakeComfy.start();
  try {
    await server.configure({ withStatus: true, writes: 'bulk', statusOnEnqueue: true });
    const template = await recordTemplate(server);
    const rounds: ReattachRound[] = [];
    // The first round warms the code up and is not counted.
    for (let round = 0; round <= task.rounds; round++)
      for (const size of task.sizes) {
        const result = await oneRound(server, template, size, task.timeoutMs);
        if (round > 0) rounds.push(result);
      }
    const medians = task.sizes.map((size) => {
      const mine = rounds.filter((round) => round.size === size);
      const of = (pick: (round: ReattachRound) => number | undefined) =>
        median(mine.flatMap((round) => (pick(round) === undefined ? [] : [pick(round)!]))) ?? NaN;
      return {
        size,
        startMs: of((round) => round.startMs),
        reconciledMs: of((round) => round.reconciledMs),
        allSettledMs: of((round) => round.allSettledMs),
      };
    });
    return { task, splits: task.sizes.map(splitOf), rounds, medians };
  } finally {
    server.stop();
  }
}

import { randomUUID } from 'node:crypto';
import { FakeComfy } from '../fakeComfyControl.js';
import type { FakeSettings } from '../fakeProtocol.js';
import { startBenchRelay, type BenchRelay } from '../relay/benchRelay.js';
import { submitMany } from '../relay/submit.js';
import { waitUntil } from '../relay/waitUntil.js';
import { HALFWAY, txt2imgGraph } from '../workload.js';

export interface MemoryTask {
  tracked: number;
  churn: number;
  /** Generations in flight at once during the churn. */
  wave: number;
  /** Generations of the churn where every one fails (0: skip it). */
  failingChurn: number;
  withStatus: boolean;
}

export interface MemoryReport {
  task: MemoryTask;
  perGeneration: {
    /** Bytes of heap per generation posted and waiting in ComfyUI's queue. */
    queued: number;
    /** … once it runs, halfway through sampling (tracker state filled in). */
    running: number;
    /** Of which its own API graph (each generation renders its own). */
    graph: number;
  };
  churn: ChurnReport;
  failing: ChurnReport | undefined;
}

export interface ChurnReport {
  generations: number;
  settled: number;
  baseline: number;
  /** Highest heap sampled after a wave, before gc. */
  peak: number;
  /** Halfway, after gc: the steady state with `wave` generations in flight. */
  midway: number;
  /** After everything settled and was released, then gc. */
  after: number;
  /** What the relay still holds at the end: live generations, router entries. */
  tracked: number;
  routerHeld: number;
  routerReleased: number;
  ms: number;
}

const WAIT_MS = 30_000;
/** Messages of a prompt's first half the relay's listeners see (its `progress_state` is skipped). */
const HALF_DELIVERED = HALFWAY - 4;

const gc = (): void => {
  global.gc?.();
  global.gc?.();
};

const heap = (): number => process.memoryUsage().heapUsed;

/** 1,000 at a time, each batch posted before the next is submitted. */
function postedTo(server: FakeComfy) {
  return { batch: 1_000, posted: (count: number) => server.waitQueued(count) };
}

function settings(task: MemoryTask, failing: boolean): FakeSettings {
  return { withStatus: task.withStatus, writes: 'bulk', failing, statusOnEnqueue: true };
}

/** The relay settles each generation once its history answer is in; wait for all to be released. */
async function settleAll({ backend }: BenchRelay, what: string): Promise<void> {
  if (!(await waitUntil(() => backend.tracked === 0, WAIT_MS)))
    throw new Error(`${backend.tracked} generations still tracked ${WAIT_MS} ms after ${what}`);
}

/** One wave: `count` graphs posted through the relay, streamed by the fake, settled, forgotten. */
async function wave(server: FakeComfy, bench: BenchRelay, count: number, firstSeed: number) {
  await submitMany(bench.relay, count, { firstSeed, ...postedTo(server) });
  await server.go();
  await settleAll(bench, 'the stream');
  await server.reset();
}

async function perGeneration(server: FakeComfy, bench: BenchRelay, count: number) {
  let seen = 0;
  bench.backend.connection.on('message', () => void seen++);
  gc();
  let before = heap();
  const graphs = Array.from({ length: count }, (_, index) => txt2imgGraph(index));
  gc();
  const graph = (heap() - before) / count;
  graphs.length = 0;

  gc();
  before = heap();
  await submitMany(bench.relay, count, postedTo(server));
  await waitUntil(() => bench.backend.queue.length >= count, WAIT_MS);
  gc();
  const queued = (heap() - before) / count;

  seen = 0;
  await server.go({ halfway: true });
  await waitUntil(() => seen >= count * HALF_DELIVERED, WAIT_MS);
  gc();
  const running = (heap() - before) / count;

  await server.go();
  await settleAll(bench, 'finishing the tracked ones');
  await server.reset();
  return { queued, running, graph };
}

async function churn(
  server: FakeComfy,
  bench: BenchRelay,
  total: number,
  size: number,
): Promise<ChurnReport> {
  let settled = 0;
  const counting = bench.relay.subscribe({
    send: (event) => {
      if (event.type === 'succeeded' || event.type === 'failed') settled++;
    },
  });
  const started = performance.now();
  gc();
  const baseline = heap();
  let peak = baseline;
  let midway = 0;
  for (let done = 0; done < total; done += size) {
    await wave(server, bench, Math.min(size, total - done), done);
    peak = Math.max(peak, heap());
    if (midway === 0 && done + size >= total / 2) {
      gc();
      midway = heap();
    }
  }
  counting.unsubscribe();
  gc();
  const router = bench.backend.router;
  return {
    generations: total,
    settled,
    baseline,
    peak,
    midway,
    after: heap(),
    tracked: bench.backend.tracked,
    routerHeld: router.heldCount,
    routerReleased: router.releasedCount,
    ms: performance.now() - started,
  };
}

/**
 * Heap through a whole relay on the fake ComfyUI: per tracked generation (queued, then halfway
 * through sampling), and across generations that come and go in waves.
 */
export async function runMemoryTask(task: MemoryTask): Promise<MemoryReport> {
  if (!global.gc) throw new Error('run with --expose-gc');
  const server = await FakeComfy.start();
  const bench = await startBenchRelay(server.url, `memory-${randomUUID()}`);
  try {
    // Warm the code paths (both endings) so compiled code does not count as growth.
    for (const failing of [false, true, false]) {
      await server.configure(settings(task, failing));
      await wave(server, bench, task.wave, 0);
    }
    const per = await perGeneration(server, bench, task.tracked);
    const steady = await churn(server, bench, task.churn, task.wave);
    let failing: ChurnReport | undefined;
    if (task.failingChurn > 0) {
      await server.configure(settings(task, true));
      failing = await churn(server, bench, task.failingChurn, task.wave);
    }
    return { task, perGeneration: per, churn: steady, failing };
  } finally {
    await bench.relay.stop();
    server.stop();
  }
}

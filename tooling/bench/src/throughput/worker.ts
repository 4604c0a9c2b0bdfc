import { FakeComfy } from '../fakeComfyControl.js';
import type { WriteMode } from '../fakeProtocol.js';
import type { RunResult } from './types.js';
import { variants, type VariantName } from './variants.js';

export interface ThroughputTask {
  /** Run in turn within each round, so that every variant sees the same machine load (paired). */
  variants: VariantName[];
  withStatus: boolean;
  writes: WriteMode;
  prompts: number;
  /** Streams of `prompts` fresh prompts per variant that make up one measured run. */
  rounds: number;
  runs: number;
  warmup: boolean;
  timeoutMs: number;
  /**
   * Reverse the variants' turns every other round (A B, B A, …), so that neither always runs
   * right after the other: for a paired ratio of two variants.
   */
  alternate?: boolean;
}

/** One measured run of one variant: the sum of its rounds. */
export interface AggregatedRun extends RunResult {
  rounds: number;
  prompts: number;
  /** msg/s of each stream, in order (undefined where it did not finish). */
  streamRates: (number | null)[];
  /** Messages per second of the reader's CPU time, each stream, in order (null where unknown). */
  streamCpuRates: (number | null)[];
}

export interface VariantReport {
  variant: VariantName;
  runs: AggregatedRun[];
  /** Set when a round failed or hit its time bound: this variant's later rounds and runs are skipped. */
  stoppedEarly?: string;
}

export interface ThroughputReport {
  withStatus: boolean;
  writes: WriteMode;
  variants: VariantReport[];
}

function emptyRun(): AggregatedRun {
  return {
    rounds: 0,
    prompts: 0,
    messages: 0,
    received: 0,
    ingestMs: 0,
    progressEvents: 0,
    requests: {},
    streamRates: [],
    streamCpuRates: [],
  };
}

function add(into: AggregatedRun, round: RunResult, prompts: number): void {
  into.rounds += 1;
  into.prompts += prompts;
  into.streamRates.push(
    round.ingestMs === undefined || round.ingestMs <= 0
      ? null
      : round.messages / (round.ingestMs / 1000),
  );
  into.streamCpuRates.push(
    round.readerCpuMs === undefined || round.readerCpuMs <= 0
      ? null
      : round.messages / (round.readerCpuMs / 1000),
  );
  into.messages += round.messages;
  into.received += round.received;
  into.ingestMs =
    into.ingestMs === undefined || round.ingestMs === undefined
      ? undefined
      : into.ingestMs + round.ingestMs;
  if ('settleMs' in round) {
    into.settleMs =
      into.rounds === 1
        ? round.settleMs
        : into.settleMs === undefined || round.settleMs === undefined
          ? undefined
          : into.settleMs + round.settleMs;
  }
  if (round.settled !== undefined) into.settled = (into.settled ?? 0) + round.settled;
  if (round.failed !== undefined) into.failed = (into.failed ?? 0) + round.failed;
  into.progressEvents += round.progressEvents;
  if (round.storeWrites !== undefined)
    into.storeWrites = (into.storeWrites ?? 0) + round.storeWrites;
  if (round.storeCommits !== undefined)
    into.storeCommits = (into.storeCommits ?? 0) + round.storeCommits;
  if (round.storeWritesTotal !== undefined)
    into.storeWritesTotal = (into.storeWritesTotal ?? 0) + round.storeWritesTotal;
  if (round.eventsConsumed !== undefined)
    into.eventsConsumed = (into.eventsConsumed ?? 0) + round.eventsConsumed;
  for (const [route, count] of Object.entries(round.requests))
    into.requests[route] = (into.requests[route] ?? 0) + count;
  if (round.timedOut) into.timedOut = true;
  if (round.error !== undefined && into.error === undefined) into.error = round.error;
}

/** A full, synchronous mark-compact that keeps compiled code (see its use). */
const FULL_GC = { type: 'major', execution: 'sync' } as const;

/**
 * Runs the variants in this (fresh) process against one fake ComfyUI: a warm-up round each,
 * then `runs` measured runs of `rounds` streams per variant, the variants taking turns.
 */
export async function runThroughputTask(task: ThroughputTask): Promise<ThroughputReport> {
  const server = await FakeComfy.start();
  const reports: VariantReport[] = task.variants.map((variant) => ({ variant, runs: [] }));
  try {
    await server.configure({
      withStatus: task.withStatus,
      writes: task.writes,
      // As ComfyUI does; but the SDK asks GET /queue for every job on every `status`, and would
      // crash before the stream: it is measured as before, without.
      statusOnEnqueue: !task.variants.includes('saintno'),
    });
    const total = task.runs + (task.warmup ? 1 : 0);
    for (let index = 0; index < total; index++) {
      const warm = task.warmup && index === 0;
      const current = reports.map(() => emptyRun());
      for (let round = 0; round < (warm ? 1 : task.rounds); round++) {
        const turns = [...reports.entries()];
        if (task.alternate === true && round % 2 === 1) turns.reverse();
        for (const [position, report] of turns) {
          if (report.stoppedEarly !== undefined) continue;
          await server.reset();
          const result = await variants[report.variant].run(server, {
            prompts: task.prompts,
            withStatus: task.withStatus,
            timeoutMs: task.timeoutMs,
          });
          const aggregated = current[position] ?? emptyRun();
          add(aggregated, result, task.prompts);
          // A full collection, so that no client pays for another's garbage — but not V8's
          // testing `gc()`, which also throws away compiled code: every stream would then
          // start half cold whatever the warm-up, and pay its JIT again (see README).
          global.gc?.(FULL_GC);
          if (result.timedOut === true || result.ingestMs === undefined) {
            report.runs.push(aggregated);
            report.stoppedEarly = `${warm ? 'the warm-up run' : `run ${index}, round ${round + 1}`}: ${result.error ?? 'no result'}`;
          }
        }
      }
      if (!warm) {
        for (const [position, report] of reports.entries()) {
          const aggregated = current[position];
          if (aggregated && report.stoppedEarly === undefined) report.runs.push(aggregated);
        }
      }
      if (reports.every((report) => report.stoppedEarly !== undefined)) break;
    }
  } finally {
    server.stop();
  }
  return { withStatus: task.withStatus, writes: task.writes, variants: reports };
}

import { runWorker } from './child.js';
import type { Section, Table } from './results.js';
import { fmtInt, fmtMs, fmtRatio, median } from './stats.js';
import { medianRun, rateOf } from './throughput/rows.js';
import { STREAM_TIMEOUT_MS } from './throughput/settings.js';
import { variants } from './throughput/variants.js';
import type { AggregatedRun, ThroughputReport, ThroughputTask } from './throughput/worker.js';
import { messagesPerPrompt } from './workload.js';

/** ANCHORS (issue #9): the store must not cost the socket reader. */
const BAR = 0.9;
const PROMPTS = 1_000;
type StoreVariant = ThroughputTask['variants'][number];
/**
 * The in-memory store twice, first and last in each round (the turns reverse every other round):
 * each SQLite stream is divided by the mean of the two of its round, which ran around it, and
 * the second divided by the first shows the method's own error.
 */
const BASELINE: StoreVariant = 'relayAllMemory';
const BASELINE_AGAIN: StoreVariant = 'relayAllMemoryAgain';
const MEASURED: StoreVariant = 'relayAllSqlite';
const TASK: ThroughputTask = {
  variants: [BASELINE, MEASURED, 'relayAllSqliteInline', BASELINE_AGAIN],
  withStatus: true,
  writes: 'bulk',
  prompts: PROMPTS,
  // A stream lasts ~70 ms here, where one collection or a busy moment of the fake server moves
  // a stream's rate by 10–30 %: many short pairs, rather than a few long ones.
  rounds: 10,
  runs: 3,
  warmup: true,
  timeoutMs: STREAM_TIMEOUT_MS,
  alternate: true,
};

interface StoreRow {
  variant: StoreVariant;
  label: string;
  runs: AggregatedRun[];
  rate: number | undefined;
  problem: string | undefined;
  /** Each run's (stream's msg/s ÷ the baseline's stream of the same round). */
  ratios: number[][];
  /** The same with msg per second of the socket reader's CPU time. */
  cpuRatios: number[][];
}

type PerStream = 'streamRates' | 'streamCpuRates';

/**
 * This variant's stream ÷ the mean of the baselines' streams of the same round, for each round of
 * each run (where they all finished).
 */
function pairedRatios(
  baselines: AggregatedRun[][],
  measured: AggregatedRun[],
  per: PerStream,
): number[][] {
  return measured.map((run, index) =>
    run[per].flatMap((rate, round) => {
      const bases = baselines.map((baseline) => baseline[index]?.[per][round]);
      if (rate === null || bases.some((base) => !base)) return [];
      const base = (bases as number[]).reduce((sum, value) => sum + value, 0) / bases.length;
      return [rate / base];
    }),
  );
}

function rowsOf(report: ThroughputReport): StoreRow[] {
  const runsOf = (variant: StoreVariant) =>
    report.variants.find((entry) => entry.variant === variant)?.runs ?? [];
  return TASK.variants.map((variant) => {
    const own = report.variants.find((entry) => entry.variant === variant);
    const runs = own?.runs ?? [];
    const baselines =
      variant === BASELINE_AGAIN ? [runsOf(BASELINE)] : [runsOf(BASELINE), runsOf(BASELINE_AGAIN)];
    const rates = runs.map(rateOf).filter((rate): rate is number => rate !== undefined);
    return {
      variant,
      label: variants[variant].label,
      runs,
      rate: median(rates),
      problem:
        own?.stoppedEarly !== undefined
          ? `stopped: ${own.stoppedEarly}`
          : runs.map((run) => run.error).find((text) => text !== undefined),
      ratios: pairedRatios(baselines, runs, 'streamRates'),
      cpuRatios: pairedRatios(baselines, runs, 'streamCpuRates'),
    };
  });
}

function perStream(run: AggregatedRun | undefined, value: number | undefined): string {
  return run === undefined || value === undefined ? '—' : fmtInt(value / Math.max(1, run.rounds));
}

function ratioCell(row: StoreRow, per: 'ratios' | 'cpuRatios'): string {
  if (row.variant === BASELINE) return '1.00×';
  const all = median(row[per].flat());
  const spread = row[per]
    .map((ratios) => median(ratios))
    .filter((value) => value !== undefined)
    .map((value) => value.toFixed(2))
    .join(' / ');
  return `${fmtRatio(all)}${spread ? ` (runs ${spread})` : ''}`;
}

export async function storeIngest(log: (line: string) => void): Promise<Section> {
  const outcome = await runWorker<ThroughputReport>('throughput', TASK, 240_000);
  log(
    `  store ingest: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`,
  );
  const perStreamMessages = PROMPTS * messagesPerPrompt(TASK.withStatus);
  const pairs = TASK.runs * TASK.rounds;
  const title = '5. Ingest with the SQLite store: the store must not cost the socket reader';
  const method = [
    `The workload of benchmark 1 (b), with per-completion \`status\`: a relay from \`createRelayContainer\` with one all-events subscriber, ${fmtInt(PROMPTS)} graphs submitted through it and posted to the fake ComfyUI, then ${fmtInt(perStreamMessages)} messages streamed down its one socket; msg/s as there (from "go" to the end of the turn in which the last message was handled).`,
    "The only difference between the clients is the store handed to `createRelayContainer({ store })`: core's `InMemoryGenerationStore`, or `SqliteGenerationStore.open({ dataDir })` on a fresh temporary directory, as the platform opens it (WAL, `synchronous = NORMAL`, prepared upserts, records written by the store's writer thread), or the same with `writerThread: false` (SQLite's work on the relay's thread, as before this change). Each is wrapped in the same counter of records written and store calls. The relay writes a record before its prompt is posted (`save`: at once, and SQLite returns once it is committed), then at `started`, progress at most once a second, and at the end — those together at the end of each tick where the store has `saveMany` (SQLite), one by one otherwise (in-memory). The writes before \"go\" are not in the measured window.",
    `One fresh \`node\` process: a warm-up stream each, then ${TASK.runs} runs of ${TASK.rounds} rounds, each round a stream with each client in turn — the in-memory store first and last, the two SQLite clients between (the order reversed every other round) — with a new relay and a new store file for every stream and a full major collection between streams. "× in-memory" is the median over all ${pairs} rounds of (that stream ÷ the mean of the two in-memory streams of its round), so that load from other processes hits all alike. The second in-memory row is that store's second stream ÷ its first: how far this method alone moves a ratio.`,
  ];
  if (!outcome.ok)
    return {
      title,
      method,
      tables: [],
      interpretation: [`The store benchmark failed: ${outcome.error}`],
    };
  const rows = rowsOf(outcome.result);
  const table: Table = {
    caption: `**${fmtInt(PROMPTS)} tracked prompts × ${messagesPerPrompt(TASK.withStatus)} messages = ${fmtInt(perStreamMessages)} messages per stream**, the clients taking turns stream by stream`,
    headers: [
      'store',
      `msg/s (median of ${TASK.runs} runs)`,
      'runs (msg/s)',
      `× in-memory (median of ${pairs} paired streams)`,
      '× in-memory in msg per second of the socket reader’s CPU (paired likewise)',
      'records written during ingest (in how many store calls) / in all, per stream',
      'jobs settled (median run)',
      'all settled after (per stream)',
      'outcome',
    ],
    rows: rows.map((row) => {
      const middle = medianRun(row.runs);
      return [
        row.label,
        fmtInt(row.rate),
        row.runs.map((run) => fmtInt(rateOf(run))).join(' / ') || '—',
        ratioCell(row, 'ratios'),
        ratioCell(row, 'cpuRatios'),
        `${perStream(middle, middle?.storeWrites)} (${perStream(middle, middle?.storeCommits)}) / ${perStream(middle, middle?.storeWritesTotal)}`,
        middle?.settled === undefined
          ? '—'
          : `${fmtInt(middle.settled)} of ${fmtInt(middle.prompts)}`,
        middle?.settleMs === undefined
          ? '—'
          : fmtMs(middle.settleMs / Math.max(1, middle.rounds), 0),
        row.problem ?? 'ok',
      ];
    }),
  };
  const find = (variant: StoreVariant) => rows.find((row) => row.variant === variant)!;
  const baseline = find(BASELINE);
  const measured = find(MEASURED);
  const ratio = median(measured.ratios.flat());
  const cpuRatio = median(measured.cpuRatios.flat());
  const inline = find('relayAllSqliteInline');
  const itself = find('relayAllMemoryAgain');
  const middle = medianRun(measured.runs);
  const interpretation = [
    ratio === undefined
      ? `The streams could not be paired (${measured.problem ?? baseline.problem ?? '?'}).`
      : `With its records in SQLite the relay ingests ${fmtInt(measured.rate)} msg/s against ${fmtInt(baseline.rate)} with the in-memory store: ${fmtRatio(ratio)} (median of ${pairs} paired streams), ${ratio >= BAR ? 'meets' : 'MISSES'} the ≥ ${BAR}× bar; per second of the socket reader's own CPU time it handles ${fmtRatio(cpuRatio)} as many messages. With SQLite's work on the relay's thread (\`writerThread: false\`, as before the writer thread) it is ${fmtRatio(median(inline.ratios.flat()))} (${fmtRatio(median(inline.cpuRatios.flat()))} per reader CPU second). The in-memory store measured against itself gives ${fmtRatio(median(itself.ratios.flat()))} (${fmtRatio(median(itself.cpuRatios.flat()))}): the method's own error, a few hundredths either way; the msg/s of one stream also depends on how the fake server and the relay share these 2 cores, the reader's CPU time much less.`,
    middle?.storeWrites === undefined
      ? ''
      : `It wrote ${perStream(middle, middle.storeWrites)} records during a stream's ingest, in ${perStream(middle, middle.storeCommits)} store calls, and ${perStream(middle, middle.storeWritesTotal)} in all per stream (${fmtInt(2 * PROMPTS)} before the POSTs, one by one, each returning once committed: at submission, and with its prompt id and backend before its POST; then \`started\` and the end, progress at most once a second). The relay hands the transitions of a tick over together (\`saveMany\`); the store copies them to its writer thread as they are (without the graph, which is written once, at submission) and returns. The JSON, the upserts, their indexes and the commit run on that thread, at the lowest CPU priority, and a burst of hand-overs is committed together once it pauses (20 ms without a new one, 100 ms at most), so that SQLite's work falls in the reader's pauses rather than beside it on these 2 cores.`,
  ].filter((line) => line !== '');
  return { title, method, tables: [table], interpretation };
}

import { runWorker } from './child.js';
import type { Section, Table } from './results.js';
import { fmtInt, fmtMs, fmtRatio, median } from './stats.js';
import { medianRun, rateOf } from './throughput/rows.js';
import { PROMPTS, STREAM_TIMEOUT_MS } from './throughput/settings.js';
import { variants } from './throughput/variants.js';
import type { AggregatedRun, ThroughputReport, ThroughputTask } from './throughput/worker.js';
import { messagesPerPrompt } from './workload.js';

/** ANCHORS (issue #9): the store must not cost the socket reader. */
const BAR = 0.9;
const TASK: ThroughputTask = {
  variants: ['relayAllMemory', 'relayAllSqlite'],
  withStatus: true,
  writes: 'bulk',
  prompts: PROMPTS,
  rounds: 3,
  runs: 3,
  warmup: true,
  timeoutMs: STREAM_TIMEOUT_MS,
};

interface StoreRow {
  label: string;
  runs: AggregatedRun[];
  rate: number | undefined;
  problem: string | undefined;
}

/** SQLite ÷ in-memory for each round of each run: the two streams ran back to back. */
function pairedRatios(memory: AggregatedRun[], sqlite: AggregatedRun[]): number[][] {
  return sqlite.map((run, index) =>
    run.streamRates.flatMap((rate, round) => {
      const base = memory[index]?.streamRates[round];
      return rate !== null && base ? [rate / base] : [];
    }),
  );
}

function rowOf(report: ThroughputReport, variant: ThroughputTask['variants'][number]): StoreRow {
  const own = report.variants.find((entry) => entry.variant === variant);
  const runs = own?.runs ?? [];
  const rates = runs.map(rateOf).filter((rate): rate is number => rate !== undefined);
  return {
    label: variants[variant].label,
    runs,
    rate: median(rates),
    problem:
      own?.stoppedEarly !== undefined
        ? `stopped: ${own.stoppedEarly}`
        : runs.map((run) => run.error).find((text) => text !== undefined),
  };
}

function perStream(run: AggregatedRun | undefined, value: number | undefined): string {
  return run === undefined || value === undefined ? '—' : fmtInt(value / Math.max(1, run.rounds));
}

export async function storeIngest(log: (line: string) => void): Promise<Section> {
  const outcome = await runWorker<ThroughputReport>('throughput', TASK, 150_000);
  log(
    `  store ingest: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`,
  );
  const perStreamMessages = PROMPTS * messagesPerPrompt(TASK.withStatus);
  const title = '5. Ingest with the SQLite store: the store must not cost the socket reader';
  const method = [
    `The workload of benchmark 1 (b), with per-completion \`status\`: a relay from \`createRelayContainer\` with one all-events subscriber, ${fmtInt(PROMPTS)} graphs submitted through it and posted to the fake ComfyUI, then ${fmtInt(perStreamMessages)} messages streamed down its one socket; msg/s as there (from "go" to the end of the turn in which the last message was handled).`,
    'The only difference between the two clients is the store handed to `createRelayContainer({ store })`: core\'s `InMemoryGenerationStore`, or `SqliteGenerationStore.open({ dataDir })` on a fresh temporary directory, as the platform opens it (WAL, `synchronous = NORMAL`, prepared upserts). Each is wrapped in the same counter of records written and store calls. The relay writes a record before its prompt is posted (at once, one by one), then at `started`, progress at most once a second, and at the end — those together at the end of each tick where the store has `saveMany` (SQLite: one transaction), one by one otherwise (in-memory). The writes before "go" are not in the measured window.',
    `One fresh \`node\` process: a warm-up stream each, then ${TASK.runs} runs of ${TASK.rounds} rounds, each round a stream with the in-memory store then one with SQLite (a new relay and a new store file for every stream), a full major collection between streams. "× in-memory" is the median over every round of (SQLite stream ÷ the in-memory stream of the same round), so that load from other processes hits both alike.`,
  ];
  if (!outcome.ok)
    return {
      title,
      method,
      tables: [],
      interpretation: [`The store benchmark failed: ${outcome.error}`],
    };
  const memory = rowOf(outcome.result, 'relayAllMemory');
  const sqlite = rowOf(outcome.result, 'relayAllSqlite');
  const byRun = pairedRatios(memory.runs, sqlite.runs);
  const ratio = median(byRun.flat());
  const spread = byRun
    .map((ratios) => median(ratios))
    .filter((value) => value !== undefined)
    .map((value) => value.toFixed(2))
    .join(' / ');
  const table: Table = {
    caption: `**${fmtInt(PROMPTS)} tracked prompts × ${messagesPerPrompt(TASK.withStatus)} messages = ${fmtInt(perStreamMessages)} messages per stream**, the two stores taking turns stream by stream`,
    headers: [
      'store',
      `msg/s (median of ${TASK.runs} runs)`,
      'runs (msg/s)',
      '× in-memory (median of paired streams)',
      'records written during ingest (in how many store calls) / in all, per stream',
      'jobs settled (median run)',
      'all settled after (per stream)',
      'outcome',
    ],
    rows: [memory, sqlite].map((row) => {
      const middle = medianRun(row.runs);
      return [
        row.label,
        fmtInt(row.rate),
        row.runs.map((run) => fmtInt(rateOf(run))).join(' / ') || '—',
        row === memory ? '1.00×' : `${fmtRatio(ratio)}${spread ? ` (runs ${spread})` : ''}`,
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
  const middle = medianRun(sqlite.runs);
  const interpretation = [
    ratio === undefined
      ? `The streams could not be paired (${sqlite.problem ?? memory.problem ?? '?'}).`
      : `With its records in SQLite the relay ingests ${fmtInt(sqlite.rate)} msg/s against ${fmtInt(memory.rate)} with the in-memory store: ${fmtRatio(ratio)} (median of paired streams), ${ratio >= BAR ? 'meets' : 'MISSES'} the ≥ ${BAR}× bar.`,
    middle?.storeWrites === undefined
      ? ''
      : `It wrote ${perStream(middle, middle.storeWrites)} records during a stream's ingest, in ${perStream(middle, middle.storeCommits)} store calls, and ${perStream(middle, middle.storeWritesTotal)} in all per stream (${fmtInt(2 * PROMPTS)} before the POSTs, one by one: at submission, and with its prompt id and backend before its POST; then \`started\` and the end, progress at most once a second). Written one \`save\` each — a synchronous upsert and its own commit on the socket reader's thread, about 50 µs here, most of it the commit — the 1,000 starts of a stream held SQLite to 0.50× of the in-memory ingest (measured before the change). The relay now writes the transitions of one tick of the event loop together where the store can (\`saveMany\`: one transaction) and the store serialises each graph once; what is left is per record — JSON, the row and its 4 indexes, the garbage — about 8–10 µs, against about 45 µs of ingest per prompt. Closing the rest needs a record that is not rewritten whole on every transition (the graph in a column of its own, written once) or the store off the socket reader's thread.`,
  ].filter((line) => line !== '');
  return { title, method, tables: [table], interpretation };
}

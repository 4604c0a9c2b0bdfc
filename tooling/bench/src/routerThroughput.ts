import { runWorker } from './child.js';
import type { WriteMode } from './fakeProtocol.js';
import type { Section, Table } from './results.js';
import { fmtInt, fmtMs, fmtRatio, median } from './stats.js';
import { variants, type VariantName } from './throughput/variants.js';
import type { AggregatedRun, ThroughputReport, ThroughputTask } from './throughput/worker.js';
import { messagesPerPrompt } from './workload.js';

const PROMPTS = 1_000;
const RUNS = 3;
const RUN_TIMEOUT_MS = 15_000;
const BAR = 0.8;

/** Variants measured in one process, taking turns stream by stream; `show` are the ones reported from it. */
interface Group {
  variants: VariantName[];
  show: VariantName[];
  rounds: number;
}

interface Setting {
  withStatus: boolean;
  writes: WriteMode;
  groups: Group[];
}

// The bare client runs beside each comfyrelay variant so that "× ceiling" compares streams
// measured under the same load (this box's 2 cores may be shared with other processes).
const ingest: Group = { variants: ['bare', 'relayLight'], show: ['bare', 'relayLight'], rounds: 4 };
const relay: Group = { variants: ['bare', 'relayFull'], show: ['relayFull'], rounds: 1 };
const sdk: Group = { variants: ['saintno'], show: ['saintno'], rounds: 2 };

const settings: Setting[] = [
  { withStatus: false, writes: 'bulk', groups: [ingest, relay, sdk] },
  { withStatus: true, writes: 'bulk', groups: [ingest, relay, sdk] },
  { withStatus: false, writes: 'per-message', groups: [ingest] },
];

interface Row {
  variant: VariantName;
  runs: AggregatedRun[];
  rates: number[];
  rate: number | undefined;
  /** Median of the per-run ratios to the bare client measured in the same run (paired), else to its median. */
  ratio: number | undefined;
  paired: boolean;
  problem: string | undefined;
}

function settingName(setting: Setting): string {
  return `${setting.withStatus ? 'with' : 'without'} per-completion \`status\`, ${setting.writes === 'bulk' ? 'server writes each prompt in one go' : 'server writes one message per syscall'}`;
}

function rateOf(run: AggregatedRun): number | undefined {
  return run.ingestMs === undefined || run.ingestMs <= 0
    ? undefined
    : run.messages / (run.ingestMs / 1000);
}

function describeRequests(requests: Record<string, number>): string {
  const entries = Object.entries(requests).sort((a, b) => b[1] - a[1]);
  return entries.length === 0
    ? 'none'
    : entries.map(([route, count]) => `${route} ×${fmtInt(count)}`).join(', ');
}

/** The run whose rate is the median one (or the failed one). */
function medianRun(runs: AggregatedRun[]): AggregatedRun | undefined {
  const rated = runs
    .filter((run) => rateOf(run) !== undefined)
    .sort((a, b) => (rateOf(a) ?? 0) - (rateOf(b) ?? 0));
  return rated[Math.floor(rated.length / 2)] ?? runs[0];
}

function rowsOf(setting: Setting, reports: Map<Group, ThroughputReport | string>): Row[] {
  const rows: Row[] = [];
  let bareRates: number[] = [];
  for (const group of setting.groups) {
    const report = reports.get(group);
    for (const variant of group.show) {
      if (typeof report === 'string' || report === undefined) {
        rows.push({
          variant,
          runs: [],
          rates: [],
          rate: undefined,
          ratio: undefined,
          paired: false,
          problem: `crashed: ${report ?? 'not run'}`,
        });
        continue;
      }
      const own = report.variants.find((entry) => entry.variant === variant);
      const runs = own?.runs ?? [];
      const rates = runs.map(rateOf).filter((rate): rate is number => rate !== undefined);
      const bare = report.variants.find((entry) => entry.variant === 'bare');
      let ratio: number | undefined;
      let isPaired = false;
      if (variant === 'bare') {
        bareRates = rates;
        ratio = rates.length > 0 ? 1 : undefined;
      } else if (bare) {
        // Stream by stream: each of ours against the bare stream just before it.
        const ratios: number[] = [];
        runs.forEach((run, index) => {
          run.streamRates.forEach((mine, round) => {
            const theirs = bare.runs[index]?.streamRates[round];
            if (mine !== null && mine !== undefined && theirs) ratios.push(mine / theirs);
          });
        });
        ratio = median(ratios);
        isPaired = true;
      } else {
        const ceiling = median(bareRates);
        const rate = median(rates);
        ratio = rate !== undefined && ceiling ? rate / ceiling : undefined;
      }
      const errors = runs
        .map((run) => run.error)
        .filter((error): error is string => error !== undefined);
      rows.push({
        variant,
        runs,
        rates,
        rate: median(rates),
        ratio,
        paired: isPaired,
        problem: own?.stoppedEarly !== undefined ? `stopped: ${own.stoppedEarly}` : errors[0],
      });
    }
  }
  return rows;
}

function tableFor(setting: Setting, rows: Row[]): Table {
  const perStream = messagesPerPrompt(setting.withStatus);
  return {
    caption:
      `**${settingName(setting)}** — ${fmtInt(PROMPTS)} tracked prompts × ${perStream} messages = ${fmtInt(PROMPTS * perStream)} messages per stream; ` +
      `a run is ${setting.groups.map((group) => `${group.rounds} stream${group.rounds > 1 ? 's' : ''} of ${group.variants.join(' + ')}`).join(', ')} (clients in one process take turns)`,
    headers: [
      'client',
      `msg/s (median of ${RUNS} runs)`,
      'runs (msg/s)',
      '× ceiling',
      'progress updates delivered / job',
      'jobs settled (median run)',
      'all settled after (per stream, median run)',
      'HTTP requests during the streams (median run)',
      'outcome',
    ],
    rows: rows.map((row) => {
      const middle = medianRun(row.runs);
      const progress = median(row.runs.map((run) => run.progressEvents / Math.max(1, run.prompts)));
      const settles = row.variant === 'relayFull' || row.variant === 'saintno';
      return [
        variants[row.variant].label,
        fmtInt(row.rate),
        row.rates.length > 0 ? row.rates.map((rate) => fmtInt(rate)).join(' / ') : '—',
        row.variant === 'bare'
          ? '1.00×'
          : `${fmtRatio(row.ratio)}${row.ratio !== undefined && !row.paired ? ' (vs median ceiling)' : ''}`,
        row.variant === 'bare'
          ? 'n/a (parses only)'
          : progress === undefined
            ? '—'
            : progress.toFixed(1),
        row.variant === 'bare'
          ? 'n/a'
          : middle?.settled === undefined
            ? '—'
            : `${fmtInt(middle.settled)} of ${fmtInt(middle.prompts)}${middle.failed ? ` (+${middle.failed} failed)` : ''}${
                row.variant === 'relayLight' ? ' reached success (hooks settle nothing)' : ''
              }`,
        !settles
          ? 'n/a'
          : middle?.settleMs !== undefined
            ? fmtMs(middle.settleMs / Math.max(1, middle.rounds), 0)
            : middle
              ? 'not within the bound'
              : '—',
        middle ? describeRequests(middle.requests) : '—',
        row.problem ?? 'ok',
      ];
    }),
  };
}

function interpret(all: [Setting, Row[]][]): string[] {
  const lines: string[] = [];
  for (const [setting, rows] of all) {
    const bare = rows.find((row) => row.variant === 'bare');
    const label = settingName(setting);
    if (!bare?.rate) {
      lines.push(`The ceiling could not be measured (${label}).`);
      continue;
    }
    const parts: string[] = [
      `${label[0]?.toUpperCase()}${label.slice(1)}: ceiling ${fmtInt(bare.rate)} msg/s;`,
    ];
    for (const variant of ['relayLight', 'relayFull'] as const) {
      const row = rows.find((candidate) => candidate.variant === variant);
      if (!row) continue;
      const name = variant === 'relayLight' ? 'ingest path (b1)' : 'whole ComfyRelay (b2)';
      parts.push(
        row.ratio === undefined
          ? `${name} did not finish (${row.problem ?? '?'});`
          : `${name} ${fmtInt(row.rate)} msg/s = ${fmtRatio(row.ratio)}, ${row.ratio >= BAR ? 'meets' : 'MISSES'} the ≥ ${BAR}× bar;`,
      );
    }
    const sdkRow = rows.find((row) => row.variant === 'saintno');
    if (sdkRow) {
      const progress = median(sdkRow.runs.map((run) => run.progressEvents));
      parts.push(
        sdkRow.rate === undefined
          ? `@saintno/comfyui-sdk did not get through: ${sdkRow.problem ?? '?'}.`
          : `@saintno/comfyui-sdk ${fmtRatio(sdkRow.ratio)} with ${fmtInt(progress)} progress callbacks delivered in a run${sdkRow.problem ? ` (${sdkRow.problem})` : ''}.`,
      );
    }
    lines.push(parts.join(' '));
  }
  return lines;
}

export async function routerThroughput(log: (line: string) => void): Promise<Section> {
  const all: [Setting, Row[]][] = [];
  for (const setting of settings) {
    const reports = new Map<Group, ThroughputReport | string>();
    for (const group of setting.groups) {
      const task: ThroughputTask = {
        variants: group.variants,
        withStatus: setting.withStatus,
        writes: setting.writes,
        prompts: PROMPTS,
        rounds: group.rounds,
        runs: RUNS,
        warmup: true,
        timeoutMs: RUN_TIMEOUT_MS,
      };
      // The SDK can take its process down slowly (a GET /queue storm): bound it tighter.
      const budget =
        group === sdk
          ? 60_000
          : (RUNS * group.rounds + 1) * group.variants.length * RUN_TIMEOUT_MS + 30_000;
      const outcome = await runWorker<ThroughputReport>('throughput', task, budget);
      reports.set(group, outcome.ok ? outcome.result : outcome.error);
      log(
        `  router throughput (${settingName(setting)}) · ${group.variants.join(', ')}: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`,
      );
    }
    all.push([setting, rowsOf(setting, reports)]);
  }
  return {
    title: '1. Router throughput: 1,000 tracked prompts from one socket',
    method: [
      'A fake ComfyUI runs in its own process: node:http for POST /prompt, GET /queue (live running/pending view), GET /history/{id} and the SDK\'s start-up routes, and a hand-written WebSocket `/ws` (RFC 6455 framing) so that each prompt\'s frames are encoded once, when it is queued. On "go" it streams the whole queue as fast as the socket drains. A prompt is 26 messages, shapes of ComfyUI 0.8.0: execution_start, execution_cached, executing, (progress_state, progress) × 8, progress_state, executing, progress_state, executing, executed, execution_success, `executing null`; "with status" adds `status {queue_remaining}` after execution_success, as ComfyUI sends on each completion. No `status` is sent on enqueue (so b2 runs with deafAfterMs raised, ping off).',
      '"Server writes each prompt in one go" makes the server nearly free, so the ceiling is the client\'s own (a bare client reaches several hundred thousand msg/s here, against ~65,000 in ANCHORS, whose server paid for every send). "One message per syscall" is closer to ComfyUI\'s own writes; there the server is the limit.',
      'msg/s = messages ÷ time from "go" to the last message having gone through the client\'s whole handler chain (every message of the stream counts; comfyrelay recognises the 10 `progress_state` messages of each prompt by their first bytes and drops them unparsed, since nothing reads them, while the bare client parses all 26). Each group of clients runs in a fresh `node` process: one warm-up stream each, then 3 runs, each of several streams of 1,000 fresh prompts per client, the clients taking turns stream by stream; "× ceiling" is the median, over all streams, of (client ÷ the bare stream run just before it in the same process), so that load from other processes on the 2 cores hits both alike. Every stream is bounded at 15 s.',
      '(a) bare: `ws` + `JSON.parse` + a counter. (b1) ComfyConnection → PromptRouter → Generation + StepWeightedInterpreter wired by hand (the "lighter, honest option"), 1,000 Generations registered before the stream, hooks that only count, no HTTP. (b2) the whole `ComfyRelay`: 1,000 `relay.submit()` (POST /prompt with its client-chosen prompt_id) before the stream, queue refresh on `status`, outputs from GET /history/{id} on success, events through the Broadcaster to one subscriber (coalescing superseded progress: hence ~2 updates per job reach it); "all settled" is when every `generation.done` resolved. (c) @saintno/comfyui-sdk 0.3.1: one ComfyApi, 1,000 CallWrappers (PromptBuilder, onProgress/onFinished/onFailed) run at once, measured in its own process.',
    ],
    tables: all.map(([setting, rows]) => tableFor(setting, rows)),
    interpretation: interpret(all),
  };
}

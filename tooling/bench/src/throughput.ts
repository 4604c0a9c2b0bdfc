import { runWorker } from './child.js';
import type { Section, Table } from './results.js';
import { fmtInt, fmtMs, fmtRatio, median } from './stats.js';
import { medianRun, rowsOf, type Row } from './throughput/rows.js';
import {
  BAR,
  PROMPTS,
  RUNS,
  settingName,
  settings,
  STREAM_TIMEOUT_MS,
  type Setting,
} from './throughput/settings.js';
import { variants } from './throughput/variants.js';
import type { ThroughputReport, ThroughputTask } from './throughput/worker.js';
import { messagesPerPrompt } from './workload.js';

function describeRequests(requests: Record<string, number>): string {
  const entries = Object.entries(requests).sort((a, b) => b[1] - a[1]);
  return entries.length === 0
    ? 'none'
    : entries.map(([route, count]) => `${route} ×${fmtInt(count)}`).join(', ');
}

function perJob(
  row: Row,
  pick: (run: Row['runs'][number]) => number | undefined,
): number | undefined {
  return median(
    row.runs.flatMap((run) => {
      const value = pick(run);
      return value === undefined ? [] : [value / Math.max(1, run.prompts)];
    }),
  );
}

function ratioCell(row: Row): string {
  if (row.variant === 'bare') return '1.00×';
  if (!row.paired)
    return `${fmtRatio(row.ratio)}${row.ratio !== undefined ? ' (vs median ceiling)' : ''}`;
  const spread = row.runRatios.map((ratio) => ratio.toFixed(2)).join(' / ');
  return `${fmtRatio(row.ratio)}${spread ? ` (runs ${spread})` : ''}`;
}

function eventsCell(row: Row): string {
  if (row.variant === 'bare') return 'n/a (parses only)';
  const progress = perJob(row, (run) => run.progressEvents);
  const events = perJob(row, (run) => run.eventsConsumed);
  if (events === undefined) return progress === undefined ? '—' : `progress ${progress.toFixed(1)}`;
  return `${events.toFixed(1)} (progress ${(progress ?? 0).toFixed(1)})`;
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
      '× ceiling (median of paired streams)',
      'events consumed / job',
      'jobs settled (median run)',
      'all settled after (per stream, median run)',
      'HTTP requests during the streams (median run)',
      'outcome',
    ],
    rows: rows.map((row) => {
      const middle = medianRun(row.runs);
      const settles = row.variant !== 'bare';
      return [
        variants[row.variant].label,
        fmtInt(row.rate),
        row.rates.length > 0 ? row.rates.map((rate) => fmtInt(rate)).join(' / ') : '—',
        ratioCell(row),
        eventsCell(row),
        !settles || middle?.settled === undefined
          ? 'n/a'
          : `${fmtInt(middle.settled)} of ${fmtInt(middle.prompts)}${middle.failed ? ` (+${middle.failed} failed)` : ''}`,
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
  return all.map(([setting, rows]) => {
    const label = settingName(setting);
    const bare = rows.find((row) => row.variant === 'bare');
    if (!bare?.rate) return `The ceiling could not be measured (${label}).`;
    const parts = [
      `${label[0]?.toUpperCase()}${label.slice(1)}: ceiling ${fmtInt(bare.rate)} msg/s;`,
    ];
    for (const variant of ['relayAll', 'relayPerGeneration'] as const) {
      const row = rows.find((candidate) => candidate.variant === variant);
      if (!row) continue;
      const name = variants[variant].label;
      parts.push(
        row.ratio === undefined
          ? `${name} did not finish (${row.problem ?? '?'});`
          : `${name} ${fmtInt(row.rate)} msg/s = ${fmtRatio(row.ratio)}, ${row.ratio >= BAR ? 'meets' : 'MISSES'} the ≥ ${BAR}× bar;`,
      );
    }
    const sdk = rows.find((row) => row.variant === 'saintno');
    if (sdk) {
      const progress = median(sdk.runs.map((run) => run.progressEvents));
      parts.push(
        sdk.rate === undefined
          ? `@saintno/comfyui-sdk did not get through: ${sdk.problem ?? '?'}.`
          : `@saintno/comfyui-sdk ${fmtRatio(sdk.ratio)} with ${fmtInt(progress)} progress callbacks delivered in a run${sdk.problem ? ` (${sdk.problem})` : ''}.`,
      );
    }
    return parts.join(' ');
  });
}

const method = [
  'A fake ComfyUI runs in its own process: node:http for POST /prompt, GET /queue (live running/pending view), GET /history[/{id}], /object_info (the workload\'s node classes) and the SDK\'s start-up routes, and a hand-written WebSocket `/ws` (RFC 6455 framing), so that each prompt\'s frames are encoded once, when it is queued. On "go" it streams the whole queue as fast as the socket drains, each prompt in one write (the server costs next to nothing: the client is measured). A prompt is 26 messages, shapes of ComfyUI 0.8.0: execution_start, execution_cached, executing, (progress_state, progress) × 8, progress_state, executing, progress_state, executing, executed, execution_success, `executing null`; "with status" adds `status {queue_remaining}` after execution_success, as ComfyUI sends on each completion. Like ComfyUI, the fake answers each POST /prompt with a `status` on the poster\'s socket (not for the SDK: it asks GET /queue for every job on every `status` and would crash before the stream).',
  'msg/s = messages ÷ time from "go" to the end of the event-loop turn in which the client\'s socket handler saw the last message: by then every microtask it caused has run — for comfyrelay, the events handed to the subscribers (the sinks are synchronous; a run reports any event still queued). Every message of the stream counts; comfyrelay recognises the 10 `progress_state` messages of each prompt by their first bytes and drops them unparsed, while the bare client parses all 26.',
  `Each group of clients runs in a fresh \`node\` process: one warm-up stream each, then ${RUNS} runs of one or more streams of ${fmtInt(PROMPTS)} fresh prompts per client, the clients taking turns stream by stream. "× ceiling" is the median over every stream of (client ÷ the bare stream of the same round, in the same process), so that load from other processes on the 2 cores hits both alike; "runs" gives each run's median, the spread. Every stream is bounded at ${STREAM_TIMEOUT_MS / 1000} s. Between streams a full major collection runs (\`gc({ type: 'major' })\`), not V8's testing \`gc()\`: that one also discards compiled code, so every stream after the warm-up would start partly cold and spend tens of ms re-optimising (on a background thread that competes with the fake server for the 2 cores) — more for a client with a larger hot path.`,
  "(a) bare: `ws` + `JSON.parse` + a counter. (b) and (c) are the frontend's way: a relay from `createRelayContainer` + `resolve(ComfyRelay)` with core's defaults, except that comfyrelay's own queue (2 prompts per backend by default) is opened wide so that all 1,000 are on ComfyUI's queue and come down the one socket; 1,000 graphs submitted through it with `submitGraph` (`@comfyrelay/core/protocol`) and posted before the stream; queue refreshes on `status`, outputs from history on success; the stream is counted on the backend's socket, resolved through `BackendPoolToken`. (b) one `relay.subscribe(sink)` made at start-up takes every event: the sink counts it by type and reads its fields (progress fraction, step, phase; positions). (c) one `relay.subscribe(sink, { generation: id })` per generation, made as soon as it is queued and unsubscribed at its terminal event, each consuming its own events the same way. \"All settled\" is when every handle's `done` resolved. (d) @saintno/comfyui-sdk 0.3.1: one ComfyApi, 1,000 CallWrappers (PromptBuilder, onProgress/onFinished/onFailed) run at once, measured in its own process.",
];

export async function throughput(log: (line: string) => void): Promise<Section> {
  const all: [Setting, Row[]][] = [];
  for (const setting of settings) {
    const reports: { variants: ThroughputTask['variants']; report: ThroughputReport | string }[] =
      [];
    for (const group of setting.groups) {
      const task: ThroughputTask = {
        variants: group.variants,
        withStatus: setting.withStatus,
        writes: setting.writes,
        prompts: PROMPTS,
        rounds: group.rounds,
        runs: RUNS,
        warmup: true,
        timeoutMs: STREAM_TIMEOUT_MS,
      };
      const outcome = await runWorker<ThroughputReport>('throughput', task, group.budgetMs);
      reports.push({
        variants: group.variants,
        report: outcome.ok ? outcome.result : outcome.error,
      });
      log(
        `  throughput (${settingName(setting)}) · ${group.variants.join(', ')}: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`,
      );
    }
    all.push([setting, rowsOf(reports)]);
  }
  return {
    title: "1. Throughput: 1,000 tracked generations from one socket, the frontend's way",
    method,
    tables: all.map(([setting, rows]) => tableFor(setting, rows)),
    interpretation: interpret(all),
  };
}

import { runWorker } from './child.js';
import type { ReattachReport, ReattachRound, ReattachTask } from './reattach/worker.js';
import type { Section, Table } from './results.js';
import { fmtInt, fmtMs } from './stats.js';

const TASK: ReattachTask = { sizes: [100, 1_000], rounds: 3, timeoutMs: 20_000 };
const PER_PROMPT = 'GET /history/{id}';

function describeRequests(requests: Record<string, number>): string {
  const entries = Object.entries(requests).sort((a, b) => b[1] - a[1]);
  return entries.length === 0
    ? 'none'
    : entries.map(([route, count]) => `${route} ×${fmtInt(count)}`).join(', ');
}

/** The round whose reconcile time is the median one: its requests are shown. */
function middleRound(rounds: ReattachRound[]): ReattachRound | undefined {
  const sorted = [...rounds].sort(
    (a, b) => (a.reconciledMs ?? Infinity) - (b.reconciledMs ?? Infinity),
  );
  return sorted[Math.floor(sorted.length / 2)];
}

export async function reattach(log: (line: string) => void): Promise<Section> {
  const outcome = await runWorker<ReattachReport>('reattach', TASK, 120_000);
  log(`  reattach: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`);
  const title = '7. Re-attaching 1,000 tracked generations after a restart';
  const method = [
    'In one fresh `node --expose-gc` process, a fake ComfyUI and, per measurement, a `SqliteGenerationStore` on a fresh file (opened as the platform opens it) holding N unfinished records of prompts the relay had posted — copies of the record a relay writes before its POST (prompt id, backend, graph, output specs), `queued`, or `running` with a start time. On the fake, as a restart leaves them: a quarter still waiting in its queue, a quarter running (halfway through sampling), a quarter finished while the relay was down (in its history), and an eighth each unknown to it (it restarted too) that never started or had started.',
    'Then a fresh relay (`createRelayContainer` with that store, the same client id, as the platform keeps it) is started: it takes every record up (`resumed`), opens its socket and reconciles against `/queue` and `/history`. "Start" is `relay.start()` plus the socket open; "settled or followed" is when every finished one has `succeeded` from its history, every started-and-lost one has `failed` (\'lost\'), every never-started lost one has been posted again, and the rest are followed in the queue; then the fake runs what is left, and "all terminal" is when every one of the N has ended. The HTTP requests are the fake\'s count by route, up to "settled or followed", then after.',
    `N = ${TASK.sizes.map(fmtInt).join(' and ')}, taking turns round by round (a warm-up round, then ${TASK.rounds}; medians), so that load from other processes hits both alike.`,
  ];
  if (!outcome.ok)
    return {
      title,
      method,
      tables: [],
      interpretation: [`The re-attach benchmark failed: ${outcome.error}`],
    };
  const report = outcome.result;
  const rows = TASK.sizes.map((size, index) => {
    const split = report.splits[index]!;
    const median = report.medians[index]!;
    const middle = middleRound(report.rounds.filter((round) => round.size === size));
    const problems = report.rounds.filter((round) => round.size === size && round.error);
    return [
      fmtInt(size),
      `${split.pending} / ${split.running} / ${split.done} / ${split.lostWaiting} / ${split.lostStarted}`,
      fmtMs(median.startMs, 0),
      fmtMs(median.reconciledMs, 0),
      fmtMs(median.allSettledMs, 0),
      middle ? `${fmtInt(middle.succeeded)} / ${fmtInt(middle.failed)}` : '—',
      middle ? describeRequests(middle.requests) : '—',
      middle ? describeRequests(middle.requestsAfter) : '—',
      problems.length === 0 ? 'ok' : `${problems.length} rounds: ${problems[0]!.error}`,
    ];
  });
  const table: Table = {
    caption: `**N unfinished records, a fresh relay started on them** (medians of ${TASK.rounds} rounds; requests of the median round)`,
    headers: [
      'records',
      'waiting / running / finished / lost, never started / lost, started',
      'start (take-up + socket)',
      'settled or followed',
      'all terminal (after the fake ran the rest)',
      'succeeded / failed',
      'HTTP until settled or followed',
      'HTTP after',
      'outcome',
    ],
    rows,
  };
  const big = report.medians[report.medians.length - 1]!;
  const small = report.medians[0]!;
  const bigRound = middleRound(report.rounds.filter((round) => round.size === big.size));
  const bigSplit = report.splits[report.splits.length - 1]!;
  const perPrompt = bigRound?.requests[PER_PROMPT] ?? 0;
  const lost = bigSplit.lostWaiting + bigSplit.lostStarted;
  const interpretation = [
    `A relay started on ${fmtInt(big.size)} unfinished records has taken them all up and opened its socket after ${fmtMs(big.startMs, 0)} (${fmtMs(small.startMs, 0)} for ${fmtInt(small.size)}), and has settled or is following every one after ${fmtMs(big.reconciledMs, 0)} (${fmtMs(small.reconciledMs, 0)} for ${fmtInt(small.size)}); once the fake ran the rest, all ${fmtInt(big.size)} had ended after ${fmtMs(big.allSettledMs, 0)}.`,
    `The queue is read a few times in all and the ${fmtInt(bigSplit.done)} finished prompts come out of batched \`GET /history?max_items\` reads (${fmtInt(bigRound?.requests['GET /history'] ?? 0)} of them), not one each — but ${perPrompt === 0 ? 'no prompt was asked for alone: meets the bar.' : `${fmtInt(perPrompt)} \`${PER_PROMPT}\` requests went out for the ${fmtInt(lost)} prompts the server no longer knows (${(perPrompt / Math.max(1, lost)).toFixed(1)} each): ids a batch did not find are asked one by one, and an absent entry is asked again up to 3 times (\`readHistory\`'s attempts) before the prompt counts as lost. So the bar (batched, not one \`/history/{id}\` per prompt) is met for the prompts that finished and MISSED for the ones ComfyUI lost — the case of a restart that took ComfyUI down too, where every tracked prompt is unknown. One read of the whole history (\`GET /history\` without \`max_items\`) when many ids are missing, instead of one each, would keep it batched; that is HistoryFetcher's (core/src/backend), left to its owner.`}`,
  ];
  return { title, method, tables: [table], interpretation };
}

import type { BurstReport, BurstTask, SubscriberOutcome } from './burst/worker.js';
import { runWorker, type WorkerOutcome } from './child.js';
import type { Section, Table } from './results.js';
import { fmtInt, fmtMB, fmtMs } from './stats.js';

const GENERATIONS = 10_000;
const TASKS: BurstTask[] = [
  { scenario: 'reconcile', generations: GENERATIONS, perGeneration: true, timeoutMs: 90_000 },
  { scenario: 'submitted', generations: GENERATIONS, perGeneration: false, timeoutMs: 30_000 },
];

const scenarioLabel: Record<BurstTask['scenario'], string> = {
  reconcile: 'reconnect reconciles 10,000 finished while the socket was down (`succeeded` each)',
  submitted: '10,000 submissions in one loop (`submitted` each)',
};

function subscriberRow(
  report: BurstReport,
  who: string,
  outcome: SubscriberOutcome,
  expected: number,
): string[] {
  const whole = outcome.delivered === expected && outcome.dropped === 0;
  return [
    scenarioLabel[report.task.scenario],
    who,
    fmtInt(outcome.subscriptions),
    `${fmtInt(outcome.delivered)} of ${fmtInt(expected)} ${report.kind}${whole ? ' (whole)' : ' — NOT whole'}`,
    fmtInt(outcome.events),
    fmtInt(outcome.maxPending),
    fmtMs(outcome.drainMs, 0),
    `${fmtMs(outcome.firstSinceTriggerMs, 0)} / ${fmtMs(outcome.sinceTriggerMs, 0)}`,
    outcome.dropped === 0 ? 'none' : `${outcome.dropped}: ${outcome.firstDrop ?? '?'}`,
    `${fmtMB(report.heap.baseline)} → ${fmtMB(report.heap.peak)} → ${fmtMB(report.heap.after)}`,
  ];
}

function rowsOf(task: BurstTask, outcome: WorkerOutcome<BurstReport>): string[][] {
  if (!outcome.ok)
    return [
      [scenarioLabel[task.scenario], '—', '—', `failed: ${outcome.error}`, ...Array(6).fill('—')],
    ];
  const report = outcome.result;
  const rows = [
    subscriberRow(report, 'one all-events subscriber', report.allEvents, task.generations),
  ];
  if (report.perGeneration)
    rows.push(
      subscriberRow(
        report,
        'one subscriber per generation',
        report.perGeneration,
        task.generations,
      ),
    );
  return rows;
}

function interpret(outcomes: WorkerOutcome<BurstReport>[]): string[] {
  return outcomes.map((outcome, index) => {
    const task = TASKS[index]!;
    if (!outcome.ok) return `The ${task.scenario} burst failed: ${outcome.error}.`;
    const report = outcome.result;
    const parts = [report.allEvents, report.perGeneration].filter((part) => part !== undefined);
    const whole = parts.every((part) => part.delivered === task.generations && part.dropped === 0);
    const requests = Object.entries(report.requests)
      .map(([route, count]) => `${route} ×${fmtInt(count)}`)
      .join(', ');
    return (
      `${scenarioLabel[task.scenario]}: ${whole ? 'delivered whole to every subscriber, none dropped' : 'NOT delivered whole'}` +
      `, the all-events queue peaking at ${fmtInt(report.allEvents.maxPending)} events and draining in ${fmtMs(report.allEvents.drainMs, 0)}` +
      `${report.timedOut ? ' (the wait timed out)' : ''}; heap ${fmtMB(report.heap.peak)} at its peak, ${fmtMB(report.heap.after)} after gc (HTTP during it: ${requests || 'none'}).`
    );
  });
}

export async function burst(log: (line: string) => void): Promise<Section> {
  const outcomes: WorkerOutcome<BurstReport>[] = [];
  for (const task of TASKS) {
    const outcome = await runWorker<BurstReport>('burst', task, 2 * task.timeoutMs + 30_000);
    log(
      `  burst ${task.scenario}: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`,
    );
    outcomes.push(outcome);
  }
  const table: Table = {
    caption: `**${fmtInt(GENERATIONS)} non-coalescable events published in one tick** to asynchronous sinks (each send settles on the next turn of the event loop, as a socket write does)`,
    headers: [
      'burst',
      'subscribers',
      'subscriptions',
      'delivered',
      'events taken (all types)',
      'most queued in one subscription',
      'drain (first → last)',
      'trigger → first / last',
      'dropped',
      'heap: before → peak → after gc',
    ],
    rows: TASKS.flatMap((task, index) => rowsOf(task, outcomes[index]!)),
  };
  return {
    title: '1b. Bursts: 10,000 events in one tick, nothing dropped',
    method: [
      "Each burst runs in a fresh `node --expose-gc` process against the fake ComfyUI, through a whole relay (`createRelayContainer`), with the relay's own subscription limits (no queue limit, 2 s send timeout).",
      `Reconcile: ${fmtInt(GENERATIONS)} graphs submitted through the relay (\`submitGraph\`, its own queue opened wide) wait in the fake's queue; one all-events subscriber and one \`{ generation: id }\` subscriber per generation (unsubscribed at its terminal event) are attached; then the fake finishes every prompt without a word and cuts the socket. The relay reconnects, finds its prompts gone from \`/queue\`, reads their history in one batch and settles all of them in one tick: \`started\`, \`progress\` and \`succeeded\` for each.`,
      `Submitted: ${fmtInt(GENERATIONS)} \`submitGraph\` calls in one loop, with comfyrelay's own queue as core sets it (2 prompts per backend): every \`submitted\` is published in that tick; a couple are posted, the rest wait in comfyrelay's queue. Per-generation subscribers cannot exist yet (the id comes with the handle), so only the all-events one is measured.`,
      `"Delivered" counts the burst's events each kind of subscriber took; "drain" runs from the first of them reaching a sink to the last; "trigger" is the socket cut (reconcile: what comes before the first is the reconnect, the queue and history reads, and the relay's own work up to publishing) or the start of the loop (submitted). Heap is heapUsed: before the trigger (after gc), the highest sampled every 5 ms, and after gc once the subscriptions ended (in the submitted case the 10,000 generations still wait in comfyrelay's queue, so they are still held).`,
    ],
    tables: [table],
    interpretation: interpret(outcomes),
  };
}

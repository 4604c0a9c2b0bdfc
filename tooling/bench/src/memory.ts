import { runWorker } from './child.js';
import type { ChurnReport, MemoryReport, MemoryTask } from './memory/worker.js';
import type { Section, Table } from './results.js';
import { fmtInt, fmtMB } from './stats.js';

const TASK: MemoryTask = { tracked: 10_000, churn: 100_000, wave: 1_000 };

function churnRow(label: string, report: ChurnReport): string[] {
  return [
    label,
    fmtInt(report.generations),
    fmtMB(report.baseline),
    fmtMB(report.peak),
    fmtMB(report.midway),
    fmtMB(report.after),
    `${report.after - report.baseline >= 0 ? '+' : ''}${fmtMB(report.after - report.baseline)}`,
    `${fmtInt(report.routerSize)} / ${fmtInt(report.routerHeld)}`,
    `${(report.ms / 1000).toFixed(1)} s`,
  ];
}

export async function memory(log: (line: string) => void): Promise<Section> {
  const outcome = await runWorker<MemoryReport>('memory', TASK, 120_000);
  log(`  memory: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`);
  const method = [
    `In a fresh \`node --expose-gc\` process, no sockets: messages (fresh objects, as JSON.parse makes them) go straight into PromptRouter.route(). Each figure is heapUsed after two forced collections. Code paths are warmed first so compiled code does not count as growth.`,
    `Per generation: ${fmtInt(TASK.tracked)} Generations (StepWeightedInterpreter tracker, each with its own rendered graph) registered with one PromptRouter, measured before they start and again halfway through sampling.`,
    `Churn: ${fmtInt(TASK.churn)} generations, ${fmtInt(TASK.wave)} in flight at a time, each driven start → progress × 8 → executed → success → \`executing null\`, then succeed() with its outputs (as when the history answer arrives) whose onTerminal unregisters it from the router, as ComfyRelay.retire does.`,
  ];
  if (!outcome.ok) {
    return {
      title: '3. Memory',
      method,
      tables: [],
      interpretation: [`The memory benchmark failed: ${outcome.error}`],
    };
  }
  const report = outcome.result;
  const perTable: Table = {
    caption: '**Heap per tracked generation**',
    headers: ['state', 'bytes per generation', `for ${fmtInt(TASK.tracked)}`],
    rows: [
      [
        'registered, not started',
        fmtInt(report.perGeneration.submitted),
        fmtMB(report.perGeneration.submitted * TASK.tracked),
      ],
      [
        'running, halfway through sampling',
        fmtInt(report.perGeneration.running),
        fmtMB(report.perGeneration.running * TASK.tracked),
      ],
      [
        'of which its API graph (7 nodes)',
        fmtInt(report.perGeneration.graph),
        fmtMB(report.perGeneration.graph * TASK.tracked),
      ],
    ],
  };
  const churnTable: Table = {
    caption: `**${fmtInt(TASK.churn)} generations come and go**`,
    headers: [
      'scenario',
      'generations',
      'baseline',
      'peak (no gc)',
      'midway (gc)',
      'after (gc)',
      'after − baseline',
      'router: tracked / held',
      'time',
    ],
    rows: [
      churnRow('succeed, then release after the last message', report.churn),
      churnRow('every one fails (execution_error), released at once', report.failing),
    ],
  };
  const growth = report.churn.after - report.churn.baseline;
  const failingGrowth = report.failing.after - report.failing.baseline;
  const interpretation = [
    `A tracked generation costs about ${fmtInt(report.perGeneration.running)} bytes of heap (${fmtMB(report.perGeneration.running * 1_000)} for 1,000), a third of it the graph it carries.`,
    `After ${fmtInt(TASK.churn)} successful generations the heap is back at ${fmtMB(report.churn.after)} against a baseline of ${fmtMB(report.churn.baseline)} (${growth >= 0 ? '+' : ''}${fmtMB(growth)}): ${growth < 2 * 1_048_576 ? 'flat — meets the bar' : 'it GREW — misses the bar'}; the peak without gc is only garbage waiting to be collected.`,
    report.failing.routerHeld > 0
      ? `But when generations end on execution_error (or execution_interrupted, a cancel, a deadline), Generation.fail() retires them synchronously and PromptRouter.unregister() forgets the id, so ComfyUI's trailing \`executing {node:null}\` for that prompt is taken for a not-yet-registered prompt and held: ${fmtInt(report.failing.routerHeld)} held entries, +${fmtMB(failingGrowth)} (${fmtInt(failingGrowth / Math.max(1, report.failing.routerHeld))} bytes each) that stay for holdMs (30 s) — and are only swept when a later message gets held. Bounded in time, but every failed prompt pays it.`
      : `Failed generations leave nothing behind either (${fmtMB(failingGrowth)}).`,
  ];
  return {
    title: '3. Memory: per generation, and after 100,000 have come and gone',
    method,
    tables: [perTable, churnTable],
    interpretation,
  };
}

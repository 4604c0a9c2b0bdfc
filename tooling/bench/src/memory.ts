import { runWorker } from './child.js';
import type { ChurnReport, MemoryReport, MemoryTask } from './memory/worker.js';
import type { Section, Table } from './results.js';
import { fmtInt, fmtMB } from './stats.js';

const TASK: MemoryTask = {
  tracked: 5_000,
  churn: 100_000,
  wave: 1_000,
  failingChurn: 10_000,
  withStatus: true,
};
const FLAT = 2 * 1_048_576;

function signed(bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${fmtMB(bytes)}`;
}

function churnRow(label: string, report: ChurnReport): string[] {
  return [
    label,
    `${fmtInt(report.settled)} of ${fmtInt(report.generations)}`,
    fmtMB(report.baseline),
    fmtMB(report.peak),
    fmtMB(report.midway),
    fmtMB(report.after),
    signed(report.after - report.baseline),
    signed(report.after - report.midway),
    `${fmtInt(report.tracked)} / ${fmtInt(report.routerHeld)} / ${fmtInt(report.routerReleased)}`,
    `${(report.ms / 1000).toFixed(1)} s`,
  ];
}

function interpret(report: MemoryReport): string[] {
  const per = report.perGeneration;
  const growth = report.churn.after - report.churn.baseline;
  const secondHalf = report.churn.after - report.churn.midway;
  const lines = [
    `A tracked generation costs about ${fmtInt(per.running)} bytes of heap in the relay while it runs (${fmtMB(per.running * 1_000)} for 1,000), ${fmtInt(per.queued)} while it waits; ${fmtInt(per.graph)} of it is the graph it carries.`,
    `After ${fmtInt(report.churn.generations)} generations the heap is at ${fmtMB(report.churn.after)} against ${fmtMB(report.churn.baseline)} before them (${signed(growth)}) and ${fmtMB(report.churn.midway)} halfway: the second ${fmtInt(report.churn.generations / 2)} added ${signed(secondHalf)} — ${secondHalf < FLAT ? 'flat, meets the bar' : 'it GREW, misses the bar'} (what the first half adds is bounded memory filling up: the store's last 1,000 records, the router's ${fmtInt(report.churn.routerReleased)} released ids). The peak without gc is garbage waiting to be collected.`,
  ];
  const failing = report.failing;
  if (failing) {
    const failingGrowth = failing.after - failing.baseline;
    lines.push(
      `When every generation fails (execution_error, then ComfyUI's trailing \`status\` and \`executing null\`), ${fmtInt(failing.generations)} of them leave ${signed(failingGrowth)} and ${fmtInt(failing.routerHeld)} held router entries; the router remembers up to ${fmtInt(failing.routerReleased)} released prompt ids for 30 s so that late messages are dropped rather than held.`,
    );
  }
  return lines;
}

export async function memory(log: (line: string) => void): Promise<Section> {
  const outcome = await runWorker<MemoryReport>('memory', TASK, 240_000);
  log(`  memory: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`);
  const method = [
    "In a fresh `node --expose-gc` process, a whole relay (`createRelayContainer` + `resolve(ComfyRelay)`) on the fake ComfyUI: graphs are posted through it with `submitGraph`, the fake streams their messages (with a `status` per completion) and serves their history, and the relay settles and releases them. Each figure is heapUsed of the relay's process after two forced collections; the code paths (success and failure) are warmed first so compiled code does not count as growth.",
    `Per generation: ${fmtInt(TASK.tracked)} graphs posted and waiting in the fake's queue (the relay's queue view lists them), then halfway through sampling (the fake streams each one's first 11 messages: start, cached, executing, 4 of 8 steps). Each generation renders its own graph; "of which its graph" is what ${fmtInt(TASK.tracked)} such graphs weigh alone. Handles are dropped: what remains is what the relay holds.`,
    `Churn: ${fmtInt(TASK.churn)} generations in waves of ${fmtInt(TASK.wave)}: submitted through the relay (its own queue opened wide, so a wave is on ComfyUI at once) and posted, streamed, settled from their history and released by the relay, then forgotten by the fake. "Peak" is the highest heap sampled after a wave, before gc; "midway" is after gc halfway through. The relay's hold at the end is read through DI (\`BackendPoolToken\`): generations still tracked / router entries held for unknown prompts / released prompt ids remembered.`,
  ];
  const title = '3. Memory: per generation, and after 100,000 have come and gone';
  if (!outcome.ok)
    return {
      title,
      method,
      tables: [],
      interpretation: [`The memory benchmark failed: ${outcome.error}`],
    };
  const report = outcome.result;
  const per = report.perGeneration;
  const perTable: Table = {
    caption: '**Heap per tracked generation**',
    headers: ['state', 'bytes per generation', `for ${fmtInt(TASK.tracked)}`],
    rows: [
      ['posted, waiting in the queue', fmtInt(per.queued), fmtMB(per.queued * TASK.tracked)],
      ['running, halfway through sampling', fmtInt(per.running), fmtMB(per.running * TASK.tracked)],
      ['of which its API graph (7 nodes)', fmtInt(per.graph), fmtMB(per.graph * TASK.tracked)],
    ],
  };
  const churnTable: Table = {
    caption: `**Generations come and go, ${fmtInt(TASK.wave)} in flight at a time**`,
    headers: [
      'scenario',
      'settled',
      'baseline',
      'peak (no gc)',
      'midway (gc)',
      'after (gc)',
      'after − baseline',
      'after − midway',
      'tracked / held / released ids',
      'time',
    ],
    rows: [
      churnRow('succeed (outputs from history)', report.churn),
      ...(report.failing ? [churnRow('every one fails (execution_error)', report.failing)] : []),
    ],
  };
  return { title, method, tables: [perTable, churnTable], interpretation: interpret(report) };
}

import { runWorker } from './child.js';
import type { Section, Table } from './results.js';
import type { PerSize, SchedulerReport, SchedulerTask } from './scheduler/worker.js';
import { fmtInt } from './stats.js';

const TASK: SchedulerTask = {
  sizes: [1_000, 10_000, 100_000],
  requesters: 1_000,
  adminEvery: 20,
  batch: 1_000,
  rounds: 5,
  ticks: 3,
  passOver: 10,
};

/** Growth from the smallest queue to the largest, against the growth of the queue itself. */
function growth(values: PerSize): number | undefined {
  const first = values[0];
  const last = values[values.length - 1];
  return first && last !== undefined ? last / first : undefined;
}

function time(ns: number | undefined): string {
  if (ns === undefined || !Number.isFinite(ns)) return '—';
  if (ns < 10_000) return `${fmtInt(ns)} ns`;
  if (ns < 10_000_000) return `${(ns / 1_000).toFixed(0)} µs`;
  return `${(ns / 1_000_000).toFixed(1)} ms`;
}

function row(label: string, values: PerSize): string[] {
  const factor = growth(values);
  return [label, ...values.map(time), factor === undefined ? '—' : `${factor.toFixed(1)}×`];
}

/** Sub-linear: growing the queue 100-fold multiplies the cost by well under 100 (under 10 here). */
function isFlat(values: PerSize): boolean {
  const factor = growth(values);
  return factor !== undefined && factor < 10;
}

export async function scheduler(log: (line: string) => void): Promise<Section> {
  const outcome = await runWorker<SchedulerReport>('scheduler', TASK, 120_000);
  log(`  scheduler: ${outcome.ok ? 'done' : outcome.error} in ${(outcome.ms / 1000).toFixed(1)} s`);
  const sizes = TASK.sizes.map((size) => `${fmtInt(size)} waiting`);
  const span = `${fmtInt(TASK.sizes[TASK.sizes.length - 1]! / TASK.sizes[0]!)}× the queue`;
  const title = '6. Scheduler at scale: 100,000 queued generations from 1,000 requesters';
  const method = [
    `Core's own queue, \`FairQueue\` (priority classes, requesters taking turns within a class, each requester's jobs in order), and the \`Scheduler\` around it. Neither is on core's public face (\`@comfyrelay/core\` or \`/protocol\`) and they stay internal: the benchmark alone loads them from core's built files (\`dist/scheduling/*.js\`, next to the entry \`@comfyrelay/core\` resolves to).`,
    `One fresh \`node --expose-gc\` process holds a queue of each size at once — ${TASK.sizes.map(fmtInt).join(', ')} jobs from ${fmtInt(TASK.requesters)} requesters in turn, every ${TASK.adminEvery}th requester an admin (priority class 0), the others class 1 — and measures them round by round, side by side (${TASK.rounds} rounds after a warm-up round; medians), so that load from other processes hits every size alike.`,
    `Queue: ${fmtInt(TASK.batch)} enqueues of new jobs timed together, then ${fmtInt(TASK.batch)} \`pick()\`s, then ${fmtInt(TASK.batch)} \`pick(accept)\`s where \`accept\` passes over ${TASK.passOver} jobs before taking one (a job only a busy server could run), per operation; then one \`pick(accept)\` that accepts nothing (it looks at every waiting job) and one \`order()\` (every waiting job in fair order: what positions are numbered from).`,
    `Scheduler: each size has its own \`Scheduler\` with the same jobs restored into it, on a stand-in pool of one server whose 2 places are taken (the usual state behind a long queue), and core's \`PositionBoard\`. A tick is timed from the call to the end of the event-loop turn: one submission queued (\`enqueue\`, its kick looks for a place and publishes every waiting job's position), and one place freed (the next job is picked and handed over, then positions again); ${TASK.ticks} of each per round.`,
    `Heap: ${fmtInt(TASK.sizes[TASK.sizes.length - 1])} jobs ({ id, requester, priority }) enqueued in an empty \`FairQueue\`, heapUsed after two forced collections against before the jobs were made; "of which the job" is the job objects alone.`,
  ];
  if (!outcome.ok)
    return {
      title,
      method,
      tables: [],
      interpretation: [`The scheduler benchmark failed: ${outcome.error}`],
    };
  const report = outcome.result;
  const headers = ['operation', ...sizes, `growth for ${span}`];
  const queueTable: Table = {
    caption: `**FairQueue**: cost of one operation (median of ${TASK.rounds} rounds)`,
    headers,
    rows: [
      row('enqueue', report.queue.enqueue),
      row('pick()', report.queue.pick),
      row(`pick(accept), passing over ${TASK.passOver}`, report.queue.pickPassingOver),
      row('pick(accept) that accepts none (looks at every job)', report.queue.pickNoneAccepted),
      row('order() (every position)', report.queue.order),
    ],
  };
  const schedulerTable: Table = {
    caption: `**Scheduler**, its one server full: one tick (median of ${TASK.rounds} × ${TASK.ticks})`,
    headers,
    rows: [
      row('a submission queued (enqueue + positions)', report.scheduler.enqueueTick),
      row('a place freed (pick + hand-over + positions)', report.scheduler.freedSlotTick),
    ],
  };
  const heapTable: Table = {
    caption: '**Heap per queued generation** in the FairQueue',
    headers: ['jobs', 'bytes per job', 'of which the job object', 'for all of them'],
    rows: [
      [
        fmtInt(report.heap.size),
        fmtInt(report.heap.perJob),
        fmtInt(report.heap.ofWhichJob),
        `${((report.heap.perJob * report.heap.size) / 1_048_576).toFixed(1)} MB`,
      ],
    ],
  };
  const { enqueue, pick, pickPassingOver } = report.queue;
  const flat = [enqueue, pick, pickPassingOver].every(isFlat);
  const tick = report.scheduler.enqueueTick;
  const interpretation = [
    `The fair queue's own operations do not grow with the queue: from ${sizes[0]} to ${sizes[sizes.length - 1]} (${span}) an enqueue goes from ${time(enqueue[0])} to ${time(enqueue[enqueue.length - 1])}, a pick from ${time(pick[0])} to ${time(pick[pick.length - 1])}, a pick that passes over ${TASK.passOver} jobs from ${time(pickPassingOver[0])} to ${time(pickPassingOver[pickPassingOver.length - 1])} — ${flat ? 'not linear, meets the bar' : 'it GROWS with the queue, misses the bar'} (what growth there is, is caches: a bigger heap, colder lines). A pick that accepts nothing looks at every job (${time(report.queue.pickNoneAccepted[report.queue.pickNoneAccepted.length - 1])} at ${sizes[sizes.length - 1]}): the Scheduler used to do exactly that on every tick while every server was full; it now asks whether any server has a place first (O(servers)) and leaves the queue alone when none has.`,
    `What is still linear is the Scheduler's tick, by design: after every change it numbers every waiting generation and publishes all their positions in one \`positions\` event (once per tick, however many submissions came in it) — ${time(tick[0])} per tick at ${sizes[0]}, ${time(tick[tick.length - 1])} at ${sizes[sizes.length - 1]}, nearly all of it in \`publishPositions\` and \`PositionBoard\` (every position changes when the first job leaves). A queue of 100,000 needs a positions event that does not list everyone (e.g. exact places for the first few thousand only): a change to the event, not to the queue.`,
    `A queued generation costs the queue about ${fmtInt(report.heap.perJob - report.heap.ofWhichJob)} bytes of bookkeeping (its slot and map entries) beyond the ${fmtInt(report.heap.ofWhichJob)}-byte job it holds: ${((report.heap.perJob * report.heap.size) / 1_048_576).toFixed(1)} MB for ${fmtInt(report.heap.size)} (a relay's whole generation is about 3.5 kB, benchmark 3).`,
  ];
  return { title, method, tables: [queueTable, schedulerTable, heapTable], interpretation };
}

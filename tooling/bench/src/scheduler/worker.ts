import { silentLogger } from '@comfyrelay/core';
import { median } from '../stats.js';
import { txt2imgGraph } from '../workload.js';
import {
  loadCoreScheduling,
  type CoreScheduling,
  type FairQueue,
  type QueuedJob,
  type Scheduler,
} from './coreScheduling.js';

export interface SchedulerTask {
  /** Waiting generations, measured side by side (round by round) in this one process. */
  sizes: number[];
  requesters: number;
  /** Every this-many-th requester is an admin (priority class 0); the others are class 1. */
  adminEvery: number;
  /** Operations timed together in one sample of the queue's O(1) operations. */
  batch: number;
  rounds: number;
  /** Scheduler ticks timed per size in one round. */
  ticks: number;
  /** Jobs `pick(accept)` passes over before one is accepted. */
  passOver: number;
}

/** Nanoseconds per operation, median over rounds, for each size (same order as `sizes`). */
export type PerSize = number[];

export interface SchedulerReport {
  task: SchedulerTask;
  queue: {
    enqueue: PerSize;
    pick: PerSize;
    pickPassingOver: PerSize;
    pickNoneAccepted: PerSize;
    order: PerSize;
  };
  scheduler: { enqueueTick: PerSize; freedSlotTick: PerSize };
  heap: { size: number; perJob: number; ofWhichJob: number };
  ms: number;
}

type Job = Parameters<Scheduler['enqueue']>[0];
const GRAPH = txt2imgGraph(0);

const gc = (): void => {
  global.gc?.();
  global.gc?.();
};

/** Jobs from `requesters` requesters in turn, admins in class 0: the same shape everywhere. */
class JobMaker {
  private next = 0;
  constructor(private readonly task: SchedulerTask) {}

  plain(): QueuedJob {
    const index = this.next++;
    const who = index % this.task.requesters;
    return { id: `j${index}`, requester: `u${who}`, priority: who % this.task.adminEvery ? 1 : 0 };
  }

  /** What the Scheduler reads of a job while it waits (a stand-in for core's Job). */
  scheduled(): Job {
    const job = this.plain();
    return {
      ...job,
      request: { graph: GRAPH, values: {}, outputs: [] },
      generation: {
        id: job.id,
        promptId: `p${job.id}`,
        isTerminal: false,
        backend: undefined,
        parameters: {},
        setQueued: () => undefined,
      },
      isTerminal: false,
      prompt: undefined,
      attempts: 0,
    } as unknown as Job;
  }
}

/** One server, `busy` of its 2 places taken: what the Scheduler asks of a backend. */
function stubPool(busy: number) {
  const backend = {
    id: 'fake',
    tracked: busy,
    accepting: true,
    healthy: true,
    get load() {
      return this.tracked;
    },
    canRun: () => true,
    missing: () => [],
    circuit: { attempt: () => undefined, succeeded: () => undefined },
    track() {
      backend.tracked++;
      return { promptId: 'posted' };
    },
    submit: async () => undefined,
    release: () => undefined,
    failedToTake: () => undefined,
  };
  return { backend, pool: { backends: [backend], get: () => backend } };
}

function timeNs(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started);
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Subject {
  size: number;
  queue: FairQueue<QueuedJob>;
  scheduler: Scheduler;
  slots: ReturnType<typeof stubPool>['backend'];
}

function build(core: CoreScheduling, size: number, maker: JobMaker): Subject {
  const queue = new core.FairQueue<QueuedJob>();
  for (let index = 0; index < size; index++) queue.enqueue(maker.plain());
  const { backend, pool } = stubPool(2);
  const board = new core.PositionBoard(() => undefined);
  const scheduler = new core.Scheduler(
    pool as unknown as ConstructorParameters<typeof core.Scheduler>[0],
    board,
    () => undefined,
    silentLogger,
    { perBackend: 2 },
  );
  const jobs: Job[] = [];
  for (let index = 0; index < size; index++) jobs.push(maker.scheduled());
  scheduler.restore(jobs);
  return { size, queue, scheduler, slots: backend };
}

async function measureQueue(subject: Subject, task: SchedulerTask, maker: JobMaker) {
  const { queue } = subject;
  const fresh = Array.from({ length: task.batch }, () => maker.plain());
  const enqueue = timeNs(() => {
    for (const job of fresh) queue.enqueue(job);
  });
  const pick = timeNs(() => {
    for (let index = 0; index < task.batch; index++) queue.pick();
  });
  let looked = 0;
  const passing = (): boolean => ++looked % (task.passOver + 1) === 0;
  const pickPassingOver = timeNs(() => {
    for (let index = 0; index < task.batch; index++) queue.pick(passing);
  });
  for (let index = 0; index < task.batch; index++) queue.enqueue(maker.plain());
  const pickNoneAccepted = timeNs(() => void queue.pick(() => false));
  const order = timeNs(() => void queue.order());
  return {
    enqueue: enqueue / task.batch,
    pick: pick / task.batch,
    pickPassingOver: pickPassingOver / task.batch,
    pickNoneAccepted,
    order,
  };
}

/**
 * A Scheduler tick while its one server is busy (2 of 2): one submission queued (the kick's
 * microtask: a look for a place, then every waiting job's position), and one place freed (the
 * next job picked and handed over, then positions again).
 */
async function measureScheduler(subject: Subject, task: SchedulerTask, maker: JobMaker) {
  const { scheduler, slots } = subject;
  const enqueueTicks: number[] = [];
  const freedTicks: number[] = [];
  await turn();
  for (let tick = 0; tick < task.ticks; tick++) {
    const job = maker.scheduled();
    let started = process.hrtime.bigint();
    scheduler.enqueue(job);
    await turn();
    enqueueTicks.push(Number(process.hrtime.bigint() - started));
    started = process.hrtime.bigint();
    slots.tracked -= 1;
    scheduler.kick();
    await turn();
    freedTicks.push(Number(process.hrtime.bigint() - started));
    if (slots.tracked !== 2) throw new Error('the freed place was not taken');
  }
  return { enqueueTick: median(enqueueTicks) ?? NaN, freedSlotTick: median(freedTicks) ?? NaN };
}

function heapPerJob(core: CoreScheduling, task: SchedulerTask, size: number) {
  const maker = new JobMaker(task);
  gc();
  const before = process.memoryUsage().heapUsed;
  const jobs = Array.from({ length: size }, () => maker.plain());
  gc();
  const withJobs = process.memoryUsage().heapUsed;
  const queue = new core.FairQueue<QueuedJob>();
  for (const job of jobs) queue.enqueue(job);
  jobs.length = 0;
  gc();
  const after = process.memoryUsage().heapUsed;
  if (queue.size !== size) throw new Error('the queue lost jobs');
  return { size, perJob: (after - before) / size, ofWhichJob: (withJobs - before) / size };
}

/**
 * Core's own fair queue and Scheduler at several queue sizes, measured round by round side by
 * side in this process so that other load hits every size alike.
 */
export async function runSchedulerTask(task: SchedulerTask): Promise<SchedulerReport> {
  const started = performance.now();
  const core = await loadCoreScheduling();
  const heap = heapPerJob(core, task, Math.max(...task.sizes));
  gc();
  const maker = new JobMaker(task);
  const subjects = task.sizes.map((size) => build(core, size, maker));
  const samples = subjects.map(() => ({
    enqueue: [] as number[],
    pick: [] as number[],
    pickPassingOver: [] as number[],
    pickNoneAccepted: [] as number[],
    order: [] as number[],
    enqueueTick: [] as number[],
    freedSlotTick: [] as number[],
  }));
  // A first round warms the code up; it is not counted.
  for (let round = 0; round <= task.rounds; round++) {
    for (const [index, subject] of subjects.entries()) {
      const queue = await measureQueue(subject, task, maker);
      const ticks = await measureScheduler(subject, task, maker);
      if (round === 0) continue;
      const into = samples[index]!;
      into.enqueue.push(queue.enqueue);
      into.pick.push(queue.pick);
      into.pickPassingOver.push(queue.pickPassingOver);
      into.pickNoneAccepted.push(queue.pickNoneAccepted);
      into.order.push(queue.order);
      into.enqueueTick.push(ticks.enqueueTick);
      into.freedSlotTick.push(ticks.freedSlotTick);
    }
  }
  const of = (pick: (entry: (typeof samples)[number]) => number[]): PerSize =>
    samples.map((entry) => median(pick(entry)) ?? NaN);
  return {
    task,
    queue: {
      enqueue: of((entry) => entry.enqueue),
      pick: of((entry) => entry.pick),
      pickPassingOver: of((entry) => entry.pickPassingOver),
      pickNoneAccepted: of((entry) => entry.pickNoneAccepted),
      order: of((entry) => entry.order),
    },
    scheduler: {
      enqueueTick: of((entry) => entry.enqueueTick),
      freedSlotTick: of((entry) => entry.freedSlotTick),
    },
    heap,
    ms: performance.now() - started,
  };
}

import { ActionCodec, MessageUpdater, type ChatAdapter, type JobMessage } from '@comfyrelay/chat';
import { FakeChatAdapter } from '@comfyrelay/chat/testing';
import { DISCORD_BUDGETS, DISCORD_RULES } from '@comfyrelay/discord';
import { TELEGRAM_BUDGETS, TELEGRAM_RULES } from '@comfyrelay/telegram';
import { budgetUse, type BudgetUse } from './budgetWindows.js';
import { LeanAdapter } from './leanAdapter.js';
import { SyntheticJob, SyntheticRelay } from './syntheticRelay.js';

export type UpdaterPlatform = 'discord' | 'telegram';

export interface UpdaterTask {
  kind: 'budgets' | 'heap';
  platform: UpdaterPlatform;
  jobs: number;
  /** Jobs are spread over this many chats (channels); the first `groups` of them are groups. */
  chats: number;
  groups: number;
  eventsPerSecond: number;
  seconds: number;
}

export interface BudgetsReport {
  task: UpdaterTask;
  progressEvents: number;
  driveMs: number;
  /** CPU of the whole process while progress streamed in, per progress event. */
  cpuUsPerEvent: number;
  /** The same events with nobody subscribed: what the bench's own driving costs. */
  driverCpuUsPerEvent: number;
  /** Calls made while progress streamed in (sends and edits). */
  progressCalls: number;
  budgets: BudgetUse[];
  overBudget: number;
  rateLimited: number;
  finalsDelivered: number;
  /** From the moment every job ended to the last final shown. */
  finalsMs: number;
  /** Calls on a job's message after its final: must be none. */
  callsAfterFinal: number;
}

export interface HeapReport {
  task: UpdaterTask;
  /** Heap the updater holds per followed job, mid-run, after gc. */
  bytesPerJob: number;
  /** Heap the updater still holds once every job ended and was shown (what dropping it frees). */
  bytesLeftAfter: number;
  calls: number;
}

const PLATFORMS = {
  discord: { rules: DISCORD_RULES, budgets: DISCORD_BUDGETS },
  telegram: { rules: TELEGRAM_RULES, budgets: TELEGRAM_BUDGETS },
} as const;

const gc = (): void => {
  global.gc?.();
  global.gc?.();
};
const heap = (): number => process.memoryUsage().heapUsed;
const cpuUs = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function targetOf(task: UpdaterTask, index: number) {
  const chat = index % task.chats;
  return { chatId: `chat-${chat}`, ...(chat < task.groups ? { isGroup: true } : {}) };
}

/** Every job gets a progress event every tick, `eventsPerSecond` ticks a second, for `ms`. */
async function drive(jobs: readonly SyntheticJob[], task: UpdaterTask, ms: number) {
  const tickMs = 1000 / task.eventsPerSecond;
  const stepTotal = Math.ceil((task.eventsPerSecond * ms) / 1000) + 1;
  const started = performance.now();
  let ticks = 0;
  let events = 0;
  while (performance.now() - started < ms) {
    ticks++;
    for (const job of jobs) job.progress(ticks, stepTotal);
    events += jobs.length;
    const next = started + ticks * tickMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  return { events, ms: performance.now() - started };
}

async function driverBaseline(task: UpdaterTask): Promise<number> {
  const relay = new SyntheticRelay();
  const jobs = Array.from({ length: task.jobs }, (_, i) => new SyntheticJob(i, relay, Date.now()));
  const before = cpuUs();
  const { events } = await drive(jobs, task, 3_000);
  return (cpuUs() - before) / events;
}

function follow(
  updater: MessageUpdater,
  jobs: readonly SyntheticJob[],
  task: UpdaterTask,
): JobMessage[] {
  return jobs.map((job) =>
    updater.follow(job.handle, {
      target: targetOf(task, job.index),
      requester: `@user${job.index}`,
    }),
  );
}

async function runBudgets(task: UpdaterTask): Promise<BudgetsReport> {
  const { rules, budgets } = PLATFORMS[task.platform];
  const driverCpuUsPerEvent = await driverBaseline(task);
  const adapter = new FakeChatAdapter({ platform: task.platform, rules, editBudgets: budgets });
  const relay = new SyntheticRelay();
  const updater = new MessageUpdater(relay, adapter as ChatAdapter, {
    codec: new ActionCodec({ secret: 'bench' }),
  });
  const jobs = Array.from({ length: task.jobs }, (_, i) => new SyntheticJob(i, relay, Date.now()));
  const messages = follow(updater, jobs, task);

  const cpuBefore = cpuUs();
  const driven = await drive(jobs, task, task.seconds * 1000);
  const cpu = cpuUs() - cpuBefore;
  const progressCalls = adapter.calls.length;

  const ended = performance.now();
  for (const job of jobs) job.succeed(Date.now());
  const outcomes = await Promise.all(messages.map((message) => message.finished));
  const finalsMs = performance.now() - ended;

  let callsAfterFinal = 0;
  for (const outcome of outcomes) {
    if (!outcome.delivered) continue;
    const shown = adapter.messages.get(outcome.message.messageId);
    const finalAt = shown?.history.at(-1)?.at ?? Infinity;
    callsAfterFinal += adapter.calls.filter(
      (call) => call.messageId === outcome.message.messageId && call.at > finalAt,
    ).length;
  }
  updater.close();
  return {
    task,
    progressEvents: driven.events,
    driveMs: driven.ms,
    cpuUsPerEvent: cpu / driven.events,
    driverCpuUsPerEvent,
    progressCalls,
    budgets: budgetUse(adapter.calls, budgets, (chatId) => {
      const index = Number(chatId.slice('chat-'.length));
      return index < task.groups;
    }),
    overBudget: adapter.violations.length,
    rateLimited: adapter.calls.filter((call) => call.outcome === 'rate-limited').length,
    finalsDelivered: outcomes.filter((outcome) => outcome.delivered).length,
    finalsMs,
    callsAfterFinal,
  };
}

async function runHeap(task: UpdaterTask): Promise<HeapReport> {
  const { rules, budgets } = PLATFORMS[task.platform];
  const adapter = new LeanAdapter(rules, budgets);
  const relay = new SyntheticRelay();
  let updater: MessageUpdater | undefined = new MessageUpdater(relay, adapter, {
    codec: new ActionCodec({ secret: 'bench' }),
  });
  const jobs = Array.from({ length: task.jobs }, (_, i) => new SyntheticJob(i, relay, Date.now()));
  // Warm the code paths on other jobs first, so compiled code does not count as per-job heap.
  const warm = Array.from(
    { length: 50 },
    (_, i) => new SyntheticJob(task.jobs + i, relay, Date.now()),
  );
  const warmMessages = follow(updater, warm, task);
  await drive(warm, task, 1_000);
  for (const job of warm) job.succeed(Date.now());
  await Promise.all(warmMessages.map((message) => message.finished));

  gc();
  const before = heap();
  const messages = follow(updater, jobs, task);
  await drive(jobs, task, task.seconds * 1000);
  gc();
  const during = heap();
  for (const job of jobs) job.succeed(Date.now());
  await Promise.all(messages.map((message) => message.finished));
  messages.length = 0;
  gc();
  const after = heap();
  // What the updater itself still holds once every job ended: the heap it frees when dropped.
  updater.close();
  updater = undefined;
  gc();
  const withoutUpdater = heap();
  return {
    task,
    bytesPerJob: (during - before) / task.jobs,
    bytesLeftAfter: after - withoutUpdater,
    calls: adapter.calls,
  };
}

function report(message: { ok: true; result: unknown } | { ok: false; error: string }): void {
  if (process.send) process.send(message, () => process.exit(message.ok ? 0 : 1));
  else {
    process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
    process.exit(message.ok ? 0 : 1);
  }
}

const task = JSON.parse(process.argv[2] ?? '{}') as UpdaterTask;
(task.kind === 'heap' ? runHeap(task) : runBudgets(task)).then(
  (result) => report({ ok: true, result }),
  (error: unknown) =>
    report({
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
);

import { runBroadcasterTask, type BroadcasterTask } from './broadcaster/worker.js';
import { runBurstTask, type BurstTask } from './burst/worker.js';
import { runEventStreamTask, type EventStreamTask } from './eventStream/worker.js';
import { runMemoryTask, type MemoryTask } from './memory/worker.js';
import { runReattachTask, type ReattachTask } from './reattach/worker.js';
import { runSchedulerTask, type SchedulerTask } from './scheduler/worker.js';
import { runThroughputTask, type ThroughputTask } from './throughput/worker.js';
import type { WorkerMessage } from './child.js';

/**
 * Entry of every benchmark child process (`node --expose-gc dist/worker.js <task> <json>`):
 * each measurement gets a fresh process, and a crash is reported instead of taking the suite down.
 */
const tasks = {
  throughput: (args: unknown) => runThroughputTask(args as ThroughputTask),
  burst: (args: unknown) => runBurstTask(args as BurstTask),
  broadcaster: (args: unknown) => runBroadcasterTask(args as BroadcasterTask),
  eventStream: (args: unknown) => runEventStreamTask(args as EventStreamTask),
  memory: (args: unknown) => runMemoryTask(args as MemoryTask),
  scheduler: (args: unknown) => runSchedulerTask(args as SchedulerTask),
  reattach: (args: unknown) => runReattachTask(args as ReattachTask),
};

function report(message: WorkerMessage): void {
  if (process.send) process.send(message, () => process.exit(message.ok ? 0 : 1));
  else {
    process.stdout.write(`${JSON.stringify(message)}\n`);
    process.exit(message.ok ? 0 : 1);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = (error as Error & { code?: unknown }).code;
  let text = `${error.name}: ${error.message}${typeof code === 'string' ? ` [${code}]` : ''}`;
  if (cause !== undefined) text += ` (cause: ${describe(cause)})`;
  return text;
}

function crashed(kind: string, error: unknown): void {
  const text = describe(error);
  report({ ok: false, error: `${kind}: ${text}` });
}

process.on('uncaughtException', (error) => crashed('uncaught exception', error));
process.on('unhandledRejection', (reason) => crashed('unhandled rejection', reason));

const [name, json] = process.argv.slice(2);
const task = tasks[name as keyof typeof tasks];
if (!task) {
  report({ ok: false, error: `unknown task ${name}` });
} else {
  task(JSON.parse(json ?? '{}')).then(
    (result) => report({ ok: true, result }),
    (error: unknown) => crashed('failed', error),
  );
}

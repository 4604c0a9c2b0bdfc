import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type WorkerMessage = { ok: true; result: unknown } | { ok: false; error: string };

export type WorkerOutcome<T> =
  { ok: true; result: T; ms: number } | { ok: false; error: string; ms: number };

/**
 * Runs one task of worker.js in a fresh `node --expose-gc` process, bounded in time. A
 * process that crashes or overruns is killed and its error (with the end of its stderr) returned.
 */
export function runWorker<T>(
  task: string,
  args: unknown,
  timeoutMs: number,
): Promise<WorkerOutcome<T>> {
  const started = performance.now();
  const child = fork(
    fileURLToPath(new URL('./worker.js', import.meta.url)),
    [task, JSON.stringify(args)],
    {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: WorkerOutcome<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          error: `no result after ${timeoutMs} ms (killed)`,
          ms: performance.now() - started,
        }),
      timeoutMs,
    );
    child.on('message', (raw) => {
      const message = raw as WorkerMessage;
      const ms = performance.now() - started;
      finish(
        message.ok
          ? { ok: true, result: message.result as T, ms }
          : { ok: false, error: message.error, ms },
      );
    });
    child.on('exit', (code, signal) => {
      const tail = stderr.trim().split('\n').slice(-6).join(' | ');
      finish({
        ok: false,
        error: `process exited (${code ?? signal}) without a result${tail ? `: ${tail}` : ''}`,
        ms: performance.now() - started,
      });
    });
  });
}

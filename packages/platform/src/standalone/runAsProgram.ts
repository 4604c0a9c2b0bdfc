import type { StandaloneIo } from './runStandaloneApp.js';

/**
 * A program's `main`: runs `run` with this process's streams and a signal that the first
 * SIGINT/SIGTERM aborts (a graceful stop); a second one exits at once. The exit status is
 * what `run` resolves with; a throw is an internal error (70), said in one line.
 */
export function runAsProgram(
  program: string,
  run: (io: StandaloneIo) => Promise<number>,
  hide: (text: string) => string = (text) => text,
): void {
  const shutdown = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    shutdown.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const done = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  run({
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signal: shutdown.signal,
  }).then(
    (status) => {
      process.exitCode = status;
      done();
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${program}: internal error (${hide(message)}); please report it\n`);
      process.exitCode = 70;
      done();
    },
  );
}

#!/usr/bin/env node
import 'reflect-metadata';
import type { StopReason } from './interruption.js';
import { main } from './main.js';
import { userDirectory } from './userDirectory.js';

// The first SIGINT/SIGTERM asks the command to wind down (cancel, stop servers); a second one exits now.
// Under a package script (`pnpm start`) one Ctrl-C arrives twice: from the terminal, and
// forwarded by pnpm, which waits for its child; only a further one means "now".
const shutdown = new AbortController();
const stop = (reason: StopReason) => {
  if (!shutdown.signal.aborted) shutdown.abort(reason);
};
const gracefulSignals = process.env['npm_lifecycle_event'] ? 2 : 1;
let signals = 0;
const onSignal = (signal: NodeJS.Signals) => {
  signals++;
  if (signals > gracefulSignals) process.exit(signal === 'SIGINT' ? 130 : 143);
  stop(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A closed stdout (`comfyrelay run … --json | head -1`) is treated like Ctrl-C: what is in flight
// on the server is cancelled, and the exit status is a shell's for SIGPIPE (141).
let stdoutClosed = false;
process.stdout.on('error', () => {
  stdoutClosed = true;
  stop('EPIPE');
});
// Nothing can be said once stderr is gone; the exit status still tells.
process.stderr.on('error', () => {});

// A command must settle before the process ends. If the event loop ever runs dry first (nothing
// left to wait on while work is unfinished: a bug), say so and fail instead of exiting quietly.
let settled = false;
process.on('beforeExit', () => {
  if (settled) return;
  settled = true;
  process.stderr.write(
    'comfyrelay: internal error: the command stopped before its work was done (nothing was left to wait for); please report this\n',
  );
  process.exitCode = 70;
});

main(process.argv.slice(2), {
  signal: shutdown.signal,
  cwd: userDirectory(process.env, process.cwd()),
}).then(
  (status) => {
    settled = true;
    process.exitCode = stdoutClosed && status === 0 ? 141 : status;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  },
  (error: unknown) => {
    settled = true;
    process.stderr.write(
      `comfyrelay: internal error (${error instanceof Error ? error.message : String(error)}); please report it\n`,
    );
    process.exitCode = 70;
  },
);

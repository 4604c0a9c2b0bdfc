#!/usr/bin/env node
import 'reflect-metadata';
import { main } from './main.js';

// The first SIGINT/SIGTERM asks the command to wind down (cancel, stop servers); a second one exits now.
const shutdown = new AbortController();
let signalled = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (signalled) process.exit(signal === 'SIGINT' ? 130 : 143);
  signalled = true;
  shutdown.abort(signal);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A closed pipe (`comfyrelay run … --json | head -1`) is not worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

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

main(process.argv.slice(2), { signal: shutdown.signal }).then(
  (status) => {
    settled = true;
    process.exitCode = status;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  },
  (error: unknown) => {
    settled = true;
    process.stderr.write(
      `comfyrelay: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);

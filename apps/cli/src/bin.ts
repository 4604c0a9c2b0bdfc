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

process.exitCode = await main(process.argv.slice(2), { signal: shutdown.signal });
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);

#!/usr/bin/env node
import 'reflect-metadata';
import { runDiscordBot } from './runDiscordBot.js';

// The first SIGINT/SIGTERM stops the bot gracefully; a second one exits at once.
const shutdown = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (shutdown.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
  shutdown.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

runDiscordBot({
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: shutdown.signal,
}).then(
  (status) => {
    process.exitCode = status;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  },
  (error: unknown) => {
    process.stderr.write(
      `comfyrelay-discord: internal error (${error instanceof Error ? error.message : String(error)})\n`,
    );
    process.exitCode = 70;
  },
);

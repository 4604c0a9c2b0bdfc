#!/usr/bin/env node
import 'reflect-metadata';
import { runTelegramBot } from './standalone/runTelegramBot.js';

// The first SIGINT/SIGTERM stops the bot gracefully; a second one exits at once.
const shutdown = new AbortController();
let signalled = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (signalled) process.exit(signal === 'SIGINT' ? 130 : 143);
  signalled = true;
  shutdown.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

runTelegramBot({
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
    const token = process.env['TELEGRAM_BOT_TOKEN'];
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `comfyrelay-telegram: internal error (${token ? message.split(token).join('<bot token>') : message}); please report it\n`,
    );
    process.exitCode = 70;
  },
);

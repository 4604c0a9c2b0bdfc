import { run } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import { ALLOWED_UPDATES, type Transport } from './Transport.js';

/**
 * Long polling with grammY's runner: updates are handled concurrently, so one slow update
 * never holds the others (the bot's `sequentialize` keeps each chat's own in order).
 */
export async function startPolling(bot: Bot): Promise<Transport> {
  // A webhook left from an earlier run would answer every getUpdates with 409; updates waiting
  // for it are kept.
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  const runner = run(bot, {
    runner: {
      fetch: { allowed_updates: ALLOWED_UPDATES },
      // The runner prints getUpdates errors itself, request URLs (and so the token) included.
      silent: true,
    },
  });
  return {
    mode: 'long polling',
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
    },
  };
}

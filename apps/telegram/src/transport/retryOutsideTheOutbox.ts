import { autoRetry } from '@grammyjs/auto-retry';
import type { Transformer } from 'grammy';

/**
 * Calls the chat layer's outbox never makes (start-up, webhook set-up, file downloads): these
 * alone get grammY's auto-retry. Messages and edits are throttled and retried by the outbox,
 * within Telegram's budgets; retrying them here too would send them behind its back.
 */
const OUTSIDE_THE_OUTBOX = new Set([
  'getMe',
  'setMyCommands',
  'deleteWebhook',
  'setWebhook',
  'getFile',
]);

export function retryOutsideTheOutbox(): Transformer {
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 });
  return (previous, method, payload, signal) =>
    OUTSIDE_THE_OUTBOX.has(method)
      ? retry(previous, method, payload, signal)
      : previous(method, payload, signal);
}

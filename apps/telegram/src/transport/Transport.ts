/** How updates reach the bot: long polling or a webhook. */
export interface Transport {
  readonly mode: 'long polling' | 'webhook';
  /** No new updates; resolves once those being handled are done. */
  stop(): Promise<void>;
}

/** The updates the bot handles; Telegram sends no others. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

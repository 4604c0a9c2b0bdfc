import type { SizeLimits } from './api/method-context.js';
import type { FloodLimitOptions } from './flood/flood-options.js';
import type { BotUser } from './types.js';

export interface BotOptions {
  /** Defaults to the number before ':' in the token. */
  id?: number;
  username?: string;
  first_name?: string;
  /** false (the default) is privacy mode: in groups the bot only sees commands, mentions and replies to it. */
  can_read_all_group_messages?: boolean;
  can_join_groups?: boolean;
  supports_inline_queries?: boolean;
}

export interface FakeTelegramOptions {
  /** Default '123456789:TEST-fake-token-for-tests'. */
  token?: string;
  bot?: BotOptions;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Telegram-like flood limits (the default), tuned ones, or false for none. */
  floodLimits?: FloodLimitOptions | false;
  limits?: Partial<SizeLimits>;
  /** How long a callback query can be answered. Default 15 s. */
  callbackAnswerTimeoutMs?: number;
  /** Webhook retry delay after the first failure, doubling up to `webhookMaxRetryDelayMs`. Default 100 ms. */
  webhookRetryDelayMs?: number;
  /** Default 5 s. */
  webhookMaxRetryDelayMs?: number;
}

export const DEFAULT_TOKEN = '123456789:TEST-fake-token-for-tests';

const MB = 1024 * 1024;

export const DEFAULT_LIMITS: SizeLimits = {
  photoBytes: 10 * MB,
  uploadBytes: 50 * MB,
  downloadBytes: 20 * MB,
  textLength: 4096,
  captionLength: 1024,
};

export function botUserFrom(token: string, options: BotOptions = {}): BotUser {
  const idFromToken = Number(token.split(':')[0]);
  const id = options.id ?? idFromToken;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new Error(`the token must start with the bot id and ':' (got '${token}')`);
  }
  return {
    id,
    is_bot: true,
    first_name: options.first_name ?? 'Test Bot',
    username: options.username ?? 'test_bot',
    can_join_groups: options.can_join_groups ?? true,
    can_read_all_group_messages: options.can_read_all_group_messages ?? false,
    supports_inline_queries: options.supports_inline_queries ?? false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
}

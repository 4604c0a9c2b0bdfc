import { RateLimitedError, type RateLimitScope } from '@comfyrelay/chat';
import { RateLimitError, type RateLimitData } from 'discord.js';

/**
 * discord.js's REST learns every bucket from `X-RateLimit-*` and 429s. For message edits it
 * throws instead of waiting (`rejectOnRateLimit`), before sending anything into a bucket it
 * knows is spent: chat's outbox then pauses that message or channel and keeps only the latest
 * content. Sends and deletes are not latest-wins, and some are made outside the outbox (a
 * button's follow-up), so discord.js waits for their bucket itself.
 */
export function rejectEditsOnRateLimit(data: RateLimitData): boolean {
  return (
    data.method.toUpperCase() === 'PATCH' &&
    (data.route.startsWith('/webhooks/') || data.route.startsWith('/channels/'))
  );
}

/** Calls `call`; a rate limit discord.js reports becomes chat's {@link RateLimitedError}. */
export async function rateLimitAware<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof RateLimitError)) throw error;
    const waitMs = Math.max(
      1,
      Math.ceil(error.timeToReset > 0 ? error.timeToReset : error.retryAfter),
    );
    throw new RateLimitedError(waitMs, scopeOf(error), { cause: error });
  }
}

/** An interaction's webhook bucket covers its one message; a channel's covers every bot edit in it. */
function scopeOf(error: RateLimitError): RateLimitScope {
  if (error.global) return 'global';
  return error.route.startsWith('/webhooks/') ? 'message' : 'chat';
}

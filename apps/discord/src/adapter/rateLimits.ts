import { RateLimitedError, type RateLimitScope } from '@comfyrelay/chat';
import { RateLimitError, type RateLimitData } from 'discord.js';

/**
 * discord.js's REST learns every bucket from `X-RateLimit-*` and 429s. For what chat's outbox
 * sends (channel messages sent, edited, deleted; a job's message edited through its
 * interaction's webhook) it throws instead of waiting (`rejectOnRateLimit`), before sending
 * anything into a bucket it knows is spent: the outbox then pauses that message or channel,
 * keeps only the latest content of an edit and tries again. Interaction answers are made
 * outside the outbox (they must be at once), so discord.js waits for their bucket itself.
 */
export function rejectOutboxCallsOnRateLimit(data: RateLimitData): boolean {
  const method = data.method.toUpperCase();
  if (data.route.startsWith('/channels/')) return /\/messages\b/.test(data.route);
  return method === 'PATCH' && data.route.startsWith('/webhooks/');
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

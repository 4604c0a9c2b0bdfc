/** What a 429 held back: the message, the chat it is in, or every call of the bot. */
export type RateLimitScope = 'message' | 'chat' | 'global';

/** A platform said "too many requests": nothing of `scope` until `retryAfterMs` passed. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMs: number,
    readonly scope: RateLimitScope = 'chat',
    options?: { cause?: unknown },
  ) {
    super(`rate limited (${scope}) for ${retryAfterMs} ms`, options);
    this.name = 'RateLimitedError';
  }
}

export function isRateLimited(error: unknown): error is RateLimitedError {
  return error instanceof RateLimitedError;
}

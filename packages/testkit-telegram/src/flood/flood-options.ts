/** Telegram's documented limits; each can be tuned, or switched off with false. */
export interface FloodLimitOptions {
  /** Messages (edits included) per chat: `burst` at once, then `perSecond`. Default 1/s, burst 3. */
  perChat?: { perSecond: number; burst: number } | false;
  /** Messages per group or supergroup per minute. Default 20. */
  perGroupPerMinute?: number | false;
  /** Messages per second over all chats. Default 30. */
  globalPerSecond?: number | false;
}

export interface ResolvedFloodLimits {
  perChat: { perSecond: number; burst: number } | false;
  perGroupPerMinute: number | false;
  globalPerSecond: number | false;
}

export function resolveFloodLimits(
  options: FloodLimitOptions | false | undefined,
): ResolvedFloodLimits {
  if (options === false)
    return { perChat: false, perGroupPerMinute: false, globalPerSecond: false };
  return {
    perChat: options?.perChat ?? { perSecond: 1, burst: 3 },
    perGroupPerMinute: options?.perGroupPerMinute ?? 20,
    globalPerSecond: options?.globalPerSecond ?? 30,
  };
}

/** A 429 a test asks for: the next `count` matching calls get it. */
export interface ScriptedFlood {
  chatId?: number;
  method?: string;
  count: number;
  retryAfterS: number;
}

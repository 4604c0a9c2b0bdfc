import type { HeaderMap } from '../http/respond.js';
import type { BucketLimit, BucketLimits, BucketName } from './bucket-limits.js';
import { bucketHeaders, retryAfterHeaders } from './rate-limit-headers.js';
import type { MatchableRequest } from './route-matcher.js';
import type { ScriptedRateLimits } from './scripted-rate-limits.js';

export interface TooManyRequestsRecord {
  at: number;
  method: string;
  path: string;
  route: string;
  bucket: string | undefined;
  scope: 'user' | 'shared' | 'global';
  global: boolean;
  /** Served because a test scripted it. */
  scripted: boolean;
  /**
   * The request came while the client had already been told (Remaining 0, or an earlier 429)
   * that this bucket or the global limit would not reset before then.
   */
  avoidable: boolean;
  retryAfterMs: number;
}

export interface RateLimitedRequest extends MatchableRequest {
  bucket: BucketName | undefined;
  /** The major parameter: channel id, guild id, webhook id/token, or 'global'. */
  major: string;
  /** Set when the route needs the bot token: it then also counts toward the global limit. */
  token: string | undefined;
}

export type RateLimitDecision =
  | { limited: false; headers: HeaderMap }
  | {
      limited: true;
      headers: HeaderMap;
      body: Record<string, unknown>;
      record: TooManyRequestsRecord;
    };

interface Window {
  start: number;
  count: number;
  /** No request passes before this (after a 429). */
  blockedUntil: number;
  /** Until when the client has been told this window is used up. */
  knownExhaustedUntil: number;
}

const GLOBAL_WINDOW_MS = 1_000;

/** Fixed-window buckets per route and major parameter, a global limit per token, scripted 429s. */
export class RateLimiter {
  private readonly buckets = new Map<string, Window>();
  private readonly globals = new Map<string, Window>();

  constructor(
    private readonly limits: BucketLimits,
    private readonly globalPerSecond: number,
    private readonly scripts: ScriptedRateLimits,
  ) {}

  evaluate(request: RateLimitedRequest, now = Date.now()): RateLimitDecision {
    const limit = request.bucket ? this.limits[request.bucket] : undefined;
    const bucket =
      request.bucket && limit
        ? this.window(this.buckets, `${request.bucket}:${request.major}`, limit.windowMs, now)
        : undefined;
    const global =
      request.token !== undefined && this.globalPerSecond > 0
        ? this.window(this.globals, request.token, GLOBAL_WINDOW_MS, now)
        : undefined;
    const avoidable =
      (bucket !== undefined && now < bucket.knownExhaustedUntil) ||
      (global !== undefined && now < global.knownExhaustedUntil);
    const base = { request, limit, now, avoidable };

    const script = this.scripts.take(request);
    if (script) {
      const target = script.global ? global : bucket;
      if (target) block(target, now + script.retryAfterMs);
      return this.limited(base, {
        window: script.global ? undefined : bucket,
        retryAfterMs: script.retryAfterMs,
        scope: script.global ? 'global' : script.scope,
        scripted: true,
      });
    }
    if (global && (now < global.blockedUntil || global.count >= this.globalPerSecond)) {
      const until = Math.max(global.blockedUntil, global.start + GLOBAL_WINDOW_MS);
      block(global, until);
      return this.limited(base, {
        window: undefined,
        retryAfterMs: until - now,
        scope: 'global',
        scripted: false,
      });
    }
    if (bucket && limit && (now < bucket.blockedUntil || bucket.count >= limit.limit)) {
      const until = Math.max(bucket.blockedUntil, bucket.start + limit.windowMs);
      block(bucket, until);
      return this.limited(base, {
        window: bucket,
        retryAfterMs: until - now,
        scope: 'user',
        scripted: false,
      });
    }

    if (global) global.count += 1;
    if (!bucket || !limit || !request.bucket) return { limited: false, headers: {} };
    bucket.count += 1;
    const remaining = limit.limit - bucket.count;
    const resetAt = bucket.start + limit.windowMs;
    if (remaining === 0) bucket.knownExhaustedUntil = resetAt;
    return {
      limited: false,
      headers: bucketHeaders(request.bucket, limit.limit, remaining, resetAt, now),
    };
  }

  private limited(
    base: {
      request: RateLimitedRequest;
      limit: BucketLimit | undefined;
      now: number;
      avoidable: boolean;
    },
    outcome: {
      window: Window | undefined;
      retryAfterMs: number;
      scope: TooManyRequestsRecord['scope'];
      scripted: boolean;
    },
  ): RateLimitDecision {
    const { request, limit, now } = base;
    const global = outcome.scope === 'global';
    const record: TooManyRequestsRecord = {
      at: now,
      method: request.method,
      path: request.path,
      route: request.route,
      bucket: request.bucket,
      scope: outcome.scope,
      global,
      scripted: outcome.scripted,
      avoidable: base.avoidable,
      retryAfterMs: outcome.retryAfterMs,
    };
    const headers: HeaderMap = {
      ...(outcome.window && limit && request.bucket
        ? bucketHeaders(request.bucket, limit.limit, 0, now + outcome.retryAfterMs, now)
        : {}),
      ...retryAfterHeaders(outcome.retryAfterMs, outcome.scope, global),
    };
    const body = {
      message: 'You are being rate limited.',
      retry_after: Number((outcome.retryAfterMs / 1000).toFixed(3)),
      global,
    };
    return { limited: true, headers, body, record };
  }

  private window(map: Map<string, Window>, key: string, windowMs: number, now: number): Window {
    let window = map.get(key);
    if (!window || now >= window.start + windowMs) {
      window = {
        start: now,
        count: 0,
        blockedUntil: window?.blockedUntil ?? 0,
        knownExhaustedUntil: window?.knownExhaustedUntil ?? 0,
      };
      map.set(key, window);
    }
    return window;
  }
}

function block(window: Window, until: number): void {
  window.blockedUntil = Math.max(window.blockedUntil, until);
  window.knownExhaustedUntil = Math.max(window.knownExhaustedUntil, until);
}

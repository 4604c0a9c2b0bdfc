import { matchesRoute, type MatchableRequest, type RouteMatcher } from './route-matcher.js';

export interface ScriptedRateLimitOptions {
  /** How many matching requests get a 429: 1. */
  count?: number;
  /** The retry_after to announce: 1000 ms. */
  retryAfterMs?: number;
  /** A global rate limit instead of a bucket one. */
  global?: boolean;
  /** X-RateLimit-Scope: 'user' (the bot's own) or 'shared' (the resource's). */
  scope?: 'user' | 'shared';
}

export interface ScriptedRateLimit {
  matcher: RouteMatcher;
  remaining: number;
  retryAfterMs: number;
  global: boolean;
  scope: 'user' | 'shared';
}

/** 429s that tests ask for, served to the next matching requests. */
export class ScriptedRateLimits {
  private readonly scripts: ScriptedRateLimit[] = [];

  /** The next `count` requests matching `matcher` are answered 429. */
  script(matcher: RouteMatcher, options: ScriptedRateLimitOptions = {}): void {
    this.scripts.push({
      matcher,
      remaining: options.count ?? 1,
      retryAfterMs: options.retryAfterMs ?? 1_000,
      global: options.global ?? false,
      scope: options.scope ?? 'user',
    });
  }

  /** Scripted 429s not served yet. */
  pending(): number {
    return this.scripts.reduce((total, script) => total + script.remaining, 0);
  }

  clear(): void {
    this.scripts.length = 0;
  }

  /** Consumes one scripted 429 for this request, if one matches. */
  take(request: MatchableRequest): ScriptedRateLimit | undefined {
    const script = this.scripts.find((s) => s.remaining > 0 && matchesRoute(s.matcher, request));
    if (!script) return undefined;
    script.remaining -= 1;
    if (script.remaining === 0) this.scripts.splice(this.scripts.indexOf(script), 1);
    return script;
  }
}

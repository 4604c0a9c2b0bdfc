import { STATUS_CODES } from 'node:http';
import {
  matchesRoute,
  type MatchableRequest,
  type RouteMatcher,
} from '../rate-limits/route-matcher.js';

export interface ScriptedFailure {
  status: number;
  body: unknown;
}

interface PendingFailure extends ScriptedFailure {
  matcher: RouteMatcher;
  remaining: number;
}

/** Answers the next matching requests with a given status and body, instead of the route. */
export class FailureScript {
  private readonly pending: PendingFailure[] = [];

  add(matcher: RouteMatcher, status: number, body: unknown, count: number): void {
    const defaultBody = { message: `${status}: ${STATUS_CODES[status] ?? 'Error'}`, code: 0 };
    this.pending.push({ matcher, status, body: body ?? defaultBody, remaining: count });
  }

  take(request: MatchableRequest): ScriptedFailure | undefined {
    const failure = this.pending.find((f) => f.remaining > 0 && matchesRoute(f.matcher, request));
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining === 0) this.pending.splice(this.pending.indexOf(failure), 1);
    return { status: failure.status, body: failure.body };
  }
}

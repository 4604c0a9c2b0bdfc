import { ComfyRelayError } from '../errors.js';
import { SlidingWindowLog } from './SlidingWindowLog.js';

const MINUTE_MS = 60_000;

/** Which limit refused a submission. */
export type LimitCode = 'user-concurrent' | 'user-rate' | 'global-queue';

/** A submission refused by a limit; `message` tells the user why and when to try again. */
export class LimitError extends ComfyRelayError {
  constructor(
    readonly code: LimitCode,
    message: string,
    /** How long until the same submission would pass, when that is known. */
    readonly retryAfterMs: number | undefined = undefined,
  ) {
    super(message);
  }
}

/** Limits on submissions; a limit left out does not apply. */
export interface LimitOptions {
  /** Most generations one user may have queued or running at once. */
  perUserConcurrent?: number;
  /** Most generations one user may start in any sliding minute. */
  perUserPerMinute?: number;
  /** Most generations waiting in the queue, everyone's together. */
  globalQueued?: number;
  /** Requesters no limit applies to (admins). */
  exempt?: (requester: string) => boolean;
}

/** What `LimitPolicy.check` needs to know about a submission. */
export interface LimitRequest {
  requester: string;
  /** That user's generations queued or running now. */
  inFlight: number;
  /** Generations waiting in the queue now, everyone's together. */
  globalQueued: number;
  /** Current time in ms (`Date.now()`); injected so tests need no timers. */
  now: number;
}

/**
 * Limits enforced when a generation is submitted: `check` before accepting it, `record` once it
 * is accepted. The per-minute count is a sliding window per user whose memory holds only the
 * last minute's starts. `check` and `record` cost O(limit) plus amortised O(1) for expired entries.
 */
export class LimitPolicy {
  readonly #options: LimitOptions;
  readonly #starts = new SlidingWindowLog(MINUTE_MS);

  constructor(options: LimitOptions = {}) {
    for (const name of ['perUserConcurrent', 'perUserPerMinute', 'globalQueued'] as const) {
      const limit = options[name];
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
        throw new RangeError(`${name} must be a whole number of at least 1, not ${limit}`);
      }
    }
    this.#options = options;
  }

  /** The first limit this submission breaks, or undefined when it may go ahead. */
  check({ requester, inFlight, globalQueued, now }: LimitRequest): LimitError | undefined {
    if (this.#options.exempt?.(requester)) return undefined;
    return (
      this.#checkConcurrent(inFlight) ??
      this.#checkRate(requester, now) ??
      this.#checkQueue(globalQueued)
    );
  }

  /** Counts a started (accepted) submission against `requester`'s per-minute limit. */
  record(requester: string, now: number): void {
    if (this.#options.perUserPerMinute === undefined || this.#options.exempt?.(requester)) return;
    this.#starts.record(requester, now);
  }

  /** Number of users whose starts are still remembered (memory stays bounded by the window). */
  get trackedRequesters(): number {
    return this.#starts.keys;
  }

  #checkConcurrent(inFlight: number): LimitError | undefined {
    const limit = this.#options.perUserConcurrent;
    if (limit === undefined || inFlight < limit) return undefined;
    const when =
      inFlight === 1 ? 'it finishes' : inFlight === limit ? 'one finishes' : 'some finish';
    return new LimitError(
      'user-concurrent',
      `You have ${generations(inFlight)} in progress, ${mostAllowed(inFlight, limit)}; try again when ${when}.`,
    );
  }

  #checkRate(requester: string, now: number): LimitError | undefined {
    const limit = this.#options.perUserPerMinute;
    if (limit === undefined) return undefined;
    const starts = this.#starts.timesOf(requester, now);
    if (starts.length < limit) return undefined;
    // Room for one more once all but limit - 1 of these starts have left the window.
    const freeingStart = starts[starts.length - limit] ?? now;
    const retryAfterMs = Math.max(1, freeingStart + MINUTE_MS - now);
    return new LimitError(
      'user-rate',
      `You started ${generations(starts.length)} in the last minute, ${mostAllowed(starts.length, limit)}; try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
      retryAfterMs,
    );
  }

  #checkQueue(globalQueued: number): LimitError | undefined {
    const limit = this.#options.globalQueued;
    if (limit === undefined || globalQueued < limit) return undefined;
    return new LimitError(
      'global-queue',
      `The queue is full (${globalQueued} waiting); try again in a moment.`,
    );
  }
}

function generations(count: number): string {
  return `${count} generation${count === 1 ? '' : 's'}`;
}

// A limit lowered by configuration can leave someone above it: say so rather than "the most".
function mostAllowed(count: number, limit: number): string {
  return count === limit ? 'the most allowed' : `more than the ${limit} allowed`;
}

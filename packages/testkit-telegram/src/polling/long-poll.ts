import { conflict, type ApiError } from '../api/api-error.js';
import type { FakeTelegramEvents } from '../records.js';
import type { UpdateQueue } from '../state/update-queue.js';
import type { Update } from '../types.js';
import type { TypedEmitter } from '../util/typed-emitter.js';

/** Rejection for a poll whose client went away; nothing is written back. */
export class PollAbandoned extends Error {}

interface WaitingPoll {
  limit: number;
  resolve: (updates: Update[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * getUpdates' waiting side. Like Telegram, only one request may wait: a newer long poll ends the
 * older one with 409. A request with timeout 0, or one that finds updates, never waits.
 */
export class LongPoll {
  private waiting: WaitingPoll | undefined;

  constructor(
    private readonly queue: UpdateQueue,
    private readonly events: TypedEmitter<FakeTelegramEvents>,
  ) {
    queue.onEnqueue(() => this.wake());
  }

  poll(offset: number, limit: number, timeoutS: number, signal: AbortSignal): Promise<Update[]> {
    this.queue.confirm(offset);
    const ready = this.queue.peek(limit);
    if (ready.length > 0 || timeoutS === 0) return Promise.resolve(ready);
    if (signal.aborted) return Promise.reject(new PollAbandoned());
    this.terminate(
      conflict(
        'terminated by other getUpdates request; make sure that only one bot instance is running',
      ),
    );
    return new Promise((resolve, reject) => {
      const poll: WaitingPoll = {
        limit,
        resolve,
        reject,
        timer: setTimeout(() => this.finish(poll, []), timeoutS * 1000),
      };
      this.waiting = poll;
      signal.addEventListener('abort', () => this.end(poll, new PollAbandoned()), { once: true });
      this.events.emit('long-poll', { offset, limit, timeout: timeoutS });
    });
  }

  /** Ends the waiting poll with an error (409 when another poll or setWebhook takes over). */
  terminate(error: ApiError | PollAbandoned): void {
    if (this.waiting) this.end(this.waiting, error);
  }

  private wake(): void {
    const poll = this.waiting;
    if (poll) this.finish(poll, this.queue.peek(poll.limit));
  }

  private finish(poll: WaitingPoll, updates: Update[]): void {
    if (this.waiting !== poll) return;
    this.waiting = undefined;
    clearTimeout(poll.timer);
    poll.resolve(updates);
  }

  private end(poll: WaitingPoll, error: Error): void {
    if (this.waiting !== poll) return;
    this.waiting = undefined;
    clearTimeout(poll.timer);
    poll.reject(error);
  }
}

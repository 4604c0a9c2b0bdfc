import type { BroadcastSink } from './BroadcastSink.js';
import type { DeadlineSweeper } from './DeadlineSweeper.js';
import type { DropReason } from './DropReason.js';
import { SendQueue, type QueuedEvent } from './SendQueue.js';

export interface Subscription {
  readonly id: number;
  readonly name: string;
  readonly closed: boolean;
  /** Events queued or in flight. */
  readonly pending: number;
  unsubscribe(): void;
  /** Resolves once everything queued so far was handed to the sink (or it was dropped). */
  drained(): Promise<void>;
}

export interface SubscriptionOptions<E> {
  /** Only events of this topic (see the broadcaster's `topicsOf`): indexed, cheap at any count. */
  topic?: string | undefined;
  filter?: (event: E) => boolean;
  name?: string;
  queueLimit?: number;
  sendTimeoutMs?: number;
  /** Set false for a subscriber that must see every event (an audit log); default true. */
  coalesce?: boolean;
}

/** What a Subscriber needs from the Broadcaster that owns it. */
export interface SubscriberHost<E> {
  readonly sweeper: DeadlineSweeper<Subscriber<E>>;
  schedule(subscriber: Subscriber<E>): void;
  dropped(subscriber: Subscriber<E>, reason: DropReason): void;
}

interface DrainWaiter {
  gen: number;
  remaining: number;
  resolve: () => void;
}

/** One subscriber: its bounded queue and its delivery loop (one send in flight, in order). */
export class Subscriber<E> implements Subscription {
  readonly id: number;
  readonly name: string;
  readonly topic: string | undefined;
  /** Set by the host's flush list so a subscriber is scheduled at most once per microtask. */
  scheduled = false;

  readonly #sink: BroadcastSink<E>;
  readonly #host: SubscriberHost<E>;
  readonly #filter: ((event: E) => boolean) | undefined;
  readonly #queueLimit: number;
  readonly #sendTimeoutMs: number;
  readonly #coalesce: boolean;
  readonly #queue = new SendQueue<E>();
  #inFlight: QueuedEvent<E> | undefined;
  #closed = false;
  // drained() bookkeeping: a waiter created at generation g covers every slot with gen < g.
  #gen = 0;
  #waiters: DrainWaiter[] = [];

  constructor(
    id: number,
    sink: BroadcastSink<E>,
    host: SubscriberHost<E>,
    options: {
      name: string;
      filter: ((event: E) => boolean) | undefined;
      queueLimit: number;
      sendTimeoutMs: number;
      coalesce: boolean;
      topic?: string | undefined;
    },
  ) {
    this.id = id;
    this.name = options.name;
    this.topic = options.topic;
    this.#sink = sink;
    this.#host = host;
    this.#filter = options.filter;
    this.#queueLimit = options.queueLimit;
    this.#sendTimeoutMs = options.sendTimeoutMs;
    this.#coalesce = options.coalesce;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get pending(): number {
    return this.#queue.size + (this.#inFlight === undefined ? 0 : 1);
  }

  unsubscribe(): void {
    this.drop({ code: 'unsubscribed', message: `${this.name} unsubscribed` });
  }

  drained(): Promise<void> {
    const remaining = this.pending;
    if (this.#closed || remaining === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiters.push({ gen: ++this.#gen, remaining, resolve });
    });
  }

  /** Called by publish: filter, enqueue (coalescing), schedule. Never calls the sink. */
  offer(event: E, key: string | undefined): void {
    if (this.#closed) return;
    if (this.#filter !== undefined) {
      let wanted: boolean;
      try {
        wanted = this.#filter(event);
      } catch (cause) {
        this.drop({
          code: 'send-failed',
          message: `${this.name}: its filter threw: ${describe(cause)}`,
          cause,
        });
        return;
      }
      if (!wanted) return;
    }
    if (!this.#queue.push(event, this.#coalesce ? key : undefined, this.#gen, this.#queueLimit)) {
      this.drop({
        code: 'queue-overflow',
        message: `${this.name} fell more than ${this.#queueLimit} events behind and was dropped to keep memory bounded`,
      });
      return;
    }
    if (this.#inFlight === undefined && !this.scheduled) {
      this.scheduled = true;
      this.#host.schedule(this);
    }
  }

  /** Hand queued events to the sink until one is asynchronous or the queue is empty. */
  pump(): void {
    this.scheduled = false;
    while (!this.#closed && this.#inFlight === undefined) {
      const slot = this.#queue.shift();
      if (slot === undefined) return;
      let result: void | Promise<void>;
      try {
        result = this.#sink.send(slot.event);
      } catch (cause) {
        this.#failed(cause);
        return;
      }
      if (this.#closed) return; // the sink unsubscribed from inside send()
      if (isThenable(result)) {
        this.#inFlight = slot;
        if (Number.isFinite(this.#sendTimeoutMs)) {
          this.#host.sweeper.add(this, performance.now() + this.#sendTimeoutMs);
        }
        try {
          result.then(
            () => this.#settled(slot),
            (cause: unknown) => {
              if (this.#inFlight === slot) this.#failed(cause);
            },
          );
        } catch (cause) {
          this.#failed(cause);
        }
        return;
      }
      this.#completed(slot.gen);
    }
  }

  /** Called by the sweeper when the in-flight send passed its deadline. */
  timedOut(): void {
    if (this.#closed || this.#inFlight === undefined) return;
    this.drop({
      code: 'send-timeout',
      message: `${this.name} did not accept an event within ${this.#sendTimeoutMs} ms and was dropped so it cannot hold up the others`,
    });
  }

  drop(reason: DropReason): void {
    if (this.#closed) return;
    this.#closed = true;
    // Free the backlog now, not when a hung send eventually settles.
    this.#queue.clear();
    this.#inFlight = undefined;
    this.#host.sweeper.delete(this);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve();
    try {
      this.#sink.close?.(reason);
    } catch {
      // The sink is already gone; a failing close() must not affect anyone else.
    }
    this.#host.dropped(this, reason);
  }

  #settled(slot: QueuedEvent<E>): void {
    if (this.#inFlight !== slot) return; // dropped or unsubscribed meanwhile
    this.#inFlight = undefined;
    this.#host.sweeper.delete(this);
    this.#completed(slot.gen);
    this.pump();
  }

  #failed(cause: unknown): void {
    this.drop({
      code: 'send-failed',
      message: `${this.name} failed to accept an event: ${describe(cause)}`,
      cause,
    });
  }

  #completed(gen: number): void {
    if (this.#waiters.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.gen > gen && --waiter.remaining === 0) {
        waiter.resolve();
        return false;
      }
      return true;
    });
  }
}

function isThenable(value: unknown): value is PromiseLike<void> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

import type { BroadcastSink } from './BroadcastSink.js';
import { DeadlineSweeper } from './DeadlineSweeper.js';
import type { DropReason } from './DropReason.js';
import {
  Subscriber,
  type SubscriberHost,
  type Subscription,
  type SubscriptionOptions,
} from './Subscription.js';

export interface BroadcasterOptions<E> {
  /** Per subscriber, default 256 events. */
  queueLimit?: number;
  /** Default 2000. `Infinity` disables the timeout. */
  sendTimeoutMs?: number;
  /** A queued, not yet sent event with the same key is replaced by the newer one (superseded progress). */
  coalesceKey?: (event: E) => string | undefined;
  /**
   * The topics an event belongs to (a generation id, say): subscribers with a `topic` get only
   * those events, found through an index rather than a filter run for every event.
   */
  topicsOf?: (event: E) => string | readonly string[] | undefined;
  /** Called for every removal, including 'unsubscribed' and 'broadcaster-closed'. */
  onDrop?: (subscription: Subscription, reason: DropReason) => void;
}

export const DEFAULT_QUEUE_LIMIT = 256;
export const DEFAULT_SEND_TIMEOUT_MS = 2000;

/**
 * Fans events out to subscribers without ever letting one of them slow down the others:
 * each subscriber has its own bounded queue and delivery loop, publish() only enqueues, and
 * a subscriber whose send hangs, fails or falls too far behind is dropped.
 */
export class Broadcaster<E> {
  /** Everyone, for close() and size. */
  readonly #subscribers = new Set<Subscriber<E>>();
  /** Subscribers of every event. */
  readonly #everything = new Set<Subscriber<E>>();
  readonly #byTopic = new Map<string, Set<Subscriber<E>>>();
  readonly #topicsOf: ((event: E) => string | readonly string[] | undefined) | undefined;
  readonly #queueLimit: number;
  readonly #sendTimeoutMs: number;
  readonly #coalesceKey: ((event: E) => string | undefined) | undefined;
  readonly #onDrop: ((subscription: Subscription, reason: DropReason) => void) | undefined;
  readonly #sweeper = new DeadlineSweeper<Subscriber<E>>((subscriber) => subscriber.timedOut());
  #nextId = 1;
  #closed = false;
  #toPump: Subscriber<E>[] = [];
  #publishing = false;
  #reentrant: E[] = [];

  readonly #host: SubscriberHost<E> = {
    sweeper: this.#sweeper,
    schedule: (subscriber) => {
      if (this.#toPump.push(subscriber) === 1) queueMicrotask(this.#flush);
    },
    dropped: (subscriber, reason) => {
      this.#subscribers.delete(subscriber);
      this.#index(subscriber, false);
      if (this.#onDrop === undefined) return;
      try {
        this.#onDrop(subscriber, reason);
      } catch (error) {
        // The owner's callback failed, not a sink: surface it without breaking publish().
        queueMicrotask(() => {
          throw error;
        });
      }
    },
  };

  constructor(options: BroadcasterOptions<E> = {}) {
    this.#queueLimit = checkQueueLimit(options.queueLimit ?? DEFAULT_QUEUE_LIMIT);
    this.#sendTimeoutMs = checkTimeout(options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS);
    this.#coalesceKey = options.coalesceKey;
    this.#topicsOf = options.topicsOf;
    this.#onDrop = options.onDrop;
  }

  get size(): number {
    return this.#subscribers.size;
  }

  subscribe(sink: BroadcastSink<E>, options: SubscriptionOptions<E> = {}): Subscription {
    const id = this.#nextId++;
    const subscriber = new Subscriber<E>(id, sink, this.#host, {
      name: options.name ?? `subscriber ${id}`,
      filter: options.filter,
      queueLimit: checkQueueLimit(options.queueLimit ?? this.#queueLimit),
      sendTimeoutMs: checkTimeout(options.sendTimeoutMs ?? this.#sendTimeoutMs),
      coalesce: options.coalesce ?? true,
      topic: options.topic,
    });
    if (subscriber.topic !== undefined && this.#topicsOf === undefined)
      throw new RangeError('this broadcaster has no topics: subscribe without `topic`');
    if (this.#closed) {
      subscriber.drop(closedReason());
    } else {
      this.#subscribers.add(subscriber);
      this.#index(subscriber, true);
    }
    return subscriber;
  }

  /** Synchronous and O(subscribers): it only enqueues; delivery starts in a microtask. */
  publish(event: E): void {
    if (this.#closed) return;
    // A publish from inside a drop callback waits for the current fan-out, so every
    // subscriber still sees events in publish order.
    if (this.#publishing) {
      this.#reentrant.push(event);
      return;
    }
    this.#publishing = true;
    try {
      this.#fanOut(event);
      for (let next = this.#reentrant.shift(); next !== undefined; next = this.#reentrant.shift()) {
        this.#fanOut(next);
      }
    } finally {
      this.#publishing = false;
      this.#reentrant = [];
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const reason = closedReason();
    for (const subscriber of [...this.#subscribers]) subscriber.drop(reason);
    this.#sweeper.close();
    this.#toPump = [];
  }

  #fanOut(event: E): void {
    const key = this.#coalesceKey?.(event);
    for (const subscriber of this.#everything) subscriber.offer(event, key);
    if (this.#byTopic.size === 0) return;
    const topics = this.#topicsOf?.(event);
    if (topics === undefined) return;
    if (typeof topics === 'string') {
      const subscribers = this.#byTopic.get(topics);
      if (subscribers) for (const subscriber of subscribers) subscriber.offer(event, key);
      return;
    }
    for (const topic of topics) {
      const subscribers = this.#byTopic.get(topic);
      if (subscribers) for (const subscriber of subscribers) subscriber.offer(event, key);
    }
  }

  #index(subscriber: Subscriber<E>, add: boolean): void {
    const topic = subscriber.topic;
    if (topic === undefined) {
      if (add) this.#everything.add(subscriber);
      else this.#everything.delete(subscriber);
      return;
    }
    let subscribers = this.#byTopic.get(topic);
    if (add) {
      if (!subscribers) this.#byTopic.set(topic, (subscribers = new Set()));
      subscribers.add(subscriber);
    } else if (subscribers?.delete(subscriber) && subscribers.size === 0) {
      this.#byTopic.delete(topic);
    }
  }

  readonly #flush = (): void => {
    const batch = this.#toPump;
    this.#toPump = [];
    for (const subscriber of batch) subscriber.pump();
  };
}

function closedReason(): DropReason {
  return { code: 'broadcaster-closed', message: 'the broadcaster was closed' };
}

function checkQueueLimit(value: number): number {
  if (value !== Infinity && (!Number.isInteger(value) || value < 1)) {
    throw new RangeError(`queueLimit must be a positive integer or Infinity, got ${value}`);
  }
  return value;
}

function checkTimeout(value: number): number {
  if (Number.isNaN(value) || value <= 0) {
    throw new RangeError(`sendTimeoutMs must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}

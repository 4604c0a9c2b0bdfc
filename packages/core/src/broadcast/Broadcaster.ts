import type { BroadcastSink } from './BroadcastSink.js';
import { DeadlineSweeper } from './DeadlineSweeper.js';
import type { DropCode, DropReason } from './DropReason.js';
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
  readonly #fan: Fan<E>;
  readonly #topicsOf: ((event: E) => string | readonly string[] | undefined) | undefined;
  readonly #queueLimit: number;
  readonly #sendTimeoutMs: number;
  readonly #coalesceKey: ((event: E) => string | undefined) | undefined;
  #nextId = 1;
  #closed = false;
  #publishing = false;
  #reentrant: E[] = [];

  constructor(options: BroadcasterOptions<E> = {}) {
    this.#queueLimit = checkQueueLimit(options.queueLimit ?? DEFAULT_QUEUE_LIMIT);
    this.#sendTimeoutMs = checkTimeout(options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS);
    this.#coalesceKey = options.coalesceKey;
    this.#topicsOf = options.topicsOf;
    this.#fan = new Fan(options.onDrop);
  }

  get size(): number {
    return this.#fan.subscribers.size;
  }

  /** Subscribers dropped so far, by reason (those that unsubscribed or were closed included). */
  get drops(): ReadonlyMap<DropCode, number> {
    return this.#fan.drops;
  }

  subscribe(sink: BroadcastSink<E>, options: SubscriptionOptions<E> = {}): Subscription {
    const id = this.#nextId++;
    const subscriber = new Subscriber<E>(id, sink, this.#fan, {
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
      this.#fan.subscribers.add(subscriber);
      this.#fan.index(subscriber, true);
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

  /**
   * Resolves once every event published before the call was handed to every current subscriber
   * (its send settled) or that subscriber was dropped — a stuck one is, by its send timeout. For
   * a graceful stop: the finals reach the frontends before they stop.
   */
  drained(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const subscriber of this.#fan.subscribers)
      if (subscriber.pending > 0) waits.push(subscriber.drained());
    return Promise.all(waits).then(nothing);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const reason = closedReason();
    for (const subscriber of [...this.#fan.subscribers]) subscriber.drop(reason);
    this.#fan.sweeper.close();
    this.#fan.toPump = [];
  }

  #fanOut(event: E): void {
    const key = this.#coalesceKey?.(event);
    const fan = this.#fan;
    for (const subscriber of fan.everything) subscriber.offer(event, key);
    if (fan.byTopic.size === 0) return;
    const topics = this.#topicsOf?.(event);
    if (topics === undefined) return;
    if (typeof topics === 'string') {
      fan.offerTopic(topics, event, key);
      return;
    }
    for (const topic of topics) fan.offerTopic(topic, event, key);
  }
}

/**
 * A broadcaster's subscribers and what they ask of it (their host: scheduling their delivery,
 * their removal). A class with methods rather than closures: every subscriber's hot path then
 * runs the same compiled code, whichever broadcaster it belongs to.
 */
class Fan<E> implements SubscriberHost<E> {
  /** Everyone, for close() and size. */
  readonly subscribers = new Set<Subscriber<E>>();
  /** Subscribers of every event. */
  readonly everything = new Set<Subscriber<E>>();
  /** Subscribers of each topic: the one subscriber itself (the common case), or a set of them. */
  readonly byTopic = new Map<string, Subscriber<E> | Set<Subscriber<E>>>();
  readonly sweeper = new DeadlineSweeper<Subscriber<E>>(timedOut);
  readonly drops = new Map<DropCode, number>();
  toPump: Subscriber<E>[] = [];

  constructor(
    private readonly onDrop: ((subscription: Subscription, reason: DropReason) => void) | undefined,
  ) {}

  schedule(subscriber: Subscriber<E>): void {
    if (this.toPump.push(subscriber) === 1) queueMicrotask(this.flush);
  }

  dropped(subscriber: Subscriber<E>, reason: DropReason): void {
    this.drops.set(reason.code, (this.drops.get(reason.code) ?? 0) + 1);
    this.subscribers.delete(subscriber);
    this.index(subscriber, false);
    if (this.onDrop === undefined) return;
    try {
      this.onDrop(subscriber, reason);
    } catch (error) {
      // The owner's callback failed, not a sink: surface it without breaking publish().
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  offerTopic(topic: string, event: E, key: string | undefined): void {
    const subscribers = this.byTopic.get(topic);
    if (subscribers === undefined) return;
    if (subscribers instanceof Set) {
      for (const subscriber of subscribers) subscriber.offer(event, key);
      return;
    }
    subscribers.offer(event, key);
    // Whoever joined the topic meanwhile (from a drop callback) gets it too, as a set's walk
    // would have reached them.
    const joined = this.byTopic.get(topic);
    if (joined === undefined || joined === subscribers) return;
    if (joined instanceof Set) {
      for (const subscriber of joined) if (subscriber !== subscribers) subscriber.offer(event, key);
    } else joined.offer(event, key);
  }

  index(subscriber: Subscriber<E>, add: boolean): void {
    const topic = subscriber.topic;
    if (topic === undefined) {
      if (add) this.everything.add(subscriber);
      else this.everything.delete(subscriber);
      return;
    }
    const subscribers = this.byTopic.get(topic);
    if (add) {
      if (subscribers === undefined) this.byTopic.set(topic, subscriber);
      else if (subscribers instanceof Set) subscribers.add(subscriber);
      else if (subscribers !== subscriber)
        this.byTopic.set(topic, new Set([subscribers, subscriber]));
    } else if (subscribers === subscriber) {
      this.byTopic.delete(topic);
    } else if (
      subscribers instanceof Set &&
      subscribers.delete(subscriber) &&
      subscribers.size === 0
    ) {
      this.byTopic.delete(topic);
    }
  }

  readonly flush = (): void => {
    const batch = this.toPump;
    this.toPump = [];
    for (const subscriber of batch) subscriber.pump();
  };
}

function nothing(): void {}

function timedOut<E>(subscriber: Subscriber<E>): void {
  subscriber.timedOut();
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

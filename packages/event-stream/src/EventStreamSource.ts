import type { BroadcastSink, Subscription, SubscriptionOptions } from '@comfyrelay/core';

/**
 * What the event stream subscribes each listener to: a `Broadcaster`, or anything offering the
 * same `subscribe()` (a relay's own). The source owns delivery: per-listener queue, coalescing
 * of superseded events, send timeout.
 */
export interface EventStreamSource<E> {
  subscribe(sink: BroadcastSink<E>, options?: SubscriptionOptions<E>): Subscription;
}

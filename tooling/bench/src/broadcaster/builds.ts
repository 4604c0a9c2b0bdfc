import { Broadcaster } from '@comfyrelay/core';
import { Broadcaster as BaselineBroadcaster } from '../baseline/broadcast/Broadcaster.js';
import type { BroadcastSink } from '../baseline/broadcast/BroadcastSink.js';
import type { DropReason } from '../baseline/broadcast/DropReason.js';

export type BroadcasterBuild = 'baseline' | 'current';

/** The options both builds take (the current one takes more: topics). */
export interface CommonOptions<E> {
  sendTimeoutMs: number;
  coalesceKey: (event: E) => string | undefined;
  onDrop: (subscription: { readonly name: string }, reason: DropReason) => void;
}

/** What the isolation benchmark drives: subscribe to everything, publish, close. */
export interface BenchBroadcaster<E> {
  subscribe(sink: BroadcastSink<E>, options: { name: string }): unknown;
  publish(event: E): void;
  close(): void;
}

export function createBroadcaster<E>(
  build: BroadcasterBuild,
  options: CommonOptions<E>,
): BenchBroadcaster<E> {
  return build === 'baseline' ? new BaselineBroadcaster<E>(options) : new Broadcaster<E>(options);
}

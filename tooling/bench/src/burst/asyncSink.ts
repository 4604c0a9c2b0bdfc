import type { BroadcastSink, DropReason, RelayEvent } from '@comfyrelay/core';
import { EventTally, isTerminal } from '../relay/eventTally.js';

/** When a sink saw the first and the last event of a kind, relative to `performance.now()`. */
export interface Timing {
  firstAt: number | undefined;
  lastAt: number | undefined;
}

/**
 * A frontend's sink that writes each event somewhere asynchronous (a socket, an HTTP call): the
 * send settles on the next turn of the event loop. It counts what it takes and records when
 * the burst's events (`kind`) arrived, and why the relay dropped it, if it did.
 */
export class AsyncSink implements BroadcastSink<RelayEvent> {
  dropped: DropReason | undefined;
  /** Called with each terminal event (a per-generation subscriber ends there). */
  onTerminal: (() => void) | undefined;

  /** Sinks of one kind of subscriber share their tally and timing. */
  constructor(
    private readonly kind: RelayEvent['type'],
    readonly tally = new EventTally(),
    readonly timing: Timing = { firstAt: undefined, lastAt: undefined },
  ) {}

  send(event: RelayEvent): Promise<void> {
    this.tally.take(event);
    if (event.type === this.kind) {
      const now = performance.now();
      this.timing.firstAt ??= now;
      this.timing.lastAt = now;
    }
    if (isTerminal(event)) this.onTerminal?.();
    return new Promise((resolve) => setImmediate(resolve));
  }

  close(reason: DropReason): void {
    if (reason.code !== 'unsubscribed' && reason.code !== 'broadcaster-closed')
      this.dropped = reason;
  }
}

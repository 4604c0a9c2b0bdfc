import type { DropReason } from './DropReason.js';

export interface BroadcastSink<E> {
  /** Deliver one event. May be slow or never settle; the broadcaster times it out. */
  send(event: E): void | Promise<void>;
  /** Called once when the broadcaster drops this sink, with a reason a human can read. */
  close?(reason: DropReason): void;
}

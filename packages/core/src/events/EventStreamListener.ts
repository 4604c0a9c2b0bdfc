import { WebSocket } from 'ws';
import type { Broadcaster } from '../broadcast/Broadcaster.js';
import type { DropReason } from '../broadcast/DropReason.js';
import type { Subscription } from '../broadcast/Subscription.js';
import { closeCodeFor, closeReasonText } from './closeCodes.js';
import type { EventEncoder } from './EventEncoder.js';

/** How long a listener gets to complete the closing handshake before its socket is destroyed. */
export const CLOSE_GRACE_MS = 1000;

/**
 * One connected passive listener: a Broadcaster subscription whose sink writes to the socket.
 * It never waits for anything the peer sends; liveness comes from server pings.
 */
export class EventStreamListener<E> {
  readonly ws: WebSocket;
  readonly subscription: Subscription;
  /** Cleared when a ping goes out, set again by the pong. */
  answeredPing = true;
  #killTimer: NodeJS.Timeout | undefined;
  readonly #onDropped: (listener: EventStreamListener<E>) => void;

  constructor(
    ws: WebSocket,
    broadcaster: Broadcaster<E>,
    encoder: EventEncoder<E>,
    options: { name: string; sendTimeoutMs?: number; queueLimit?: number },
    onDropped: (listener: EventStreamListener<E>) => void,
  ) {
    this.ws = ws;
    this.#onDropped = onDropped;
    ws.on('pong', () => {
      this.answeredPing = true;
    });
    this.subscription = broadcaster.subscribe(
      {
        send: (event) => this.#send(encoder.encode(event)),
        close: (reason) => this.#dropped(reason),
      },
      options,
    );
    ws.once('close', () => {
      clearTimeout(this.#killTimer);
      this.subscription.unsubscribe();
    });
  }

  /** Sends a ping, or terminates the peer if it never answered the previous one. */
  ping(): void {
    if (!this.answeredPing) {
      this.ws.terminate();
      return;
    }
    this.answeredPing = false;
    this.ws.ping();
  }

  close(code: number, reason: string): void {
    const { ws } = this;
    if (ws.readyState === WebSocket.CLOSED) return;
    if (ws.readyState === WebSocket.OPEN) ws.close(code, closeReasonText(reason));
    // A peer that stopped reading never sees our close frame; do not wait ws's 30 s for it.
    this.#killTimer ??= setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  #send(data: string | null): Promise<void> | void {
    if (data === null) return;
    // Settles only once the bytes reached the kernel, so a peer that stops reading makes this
    // hang and the broadcaster's send timeout evicts it.
    return new Promise((resolve, reject) => {
      this.ws.send(data, (error) => (error ? reject(error) : resolve()));
    });
  }

  #dropped(reason: DropReason): void {
    this.close(closeCodeFor(reason), reason.message);
    this.#onDropped(this);
  }
}

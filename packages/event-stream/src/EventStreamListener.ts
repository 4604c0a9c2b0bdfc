import type { DropReason, SubscriptionOptions, Subscription } from '@comfyrelay/core';
import { WebSocket } from 'ws';
import { CLOSE_GRACE_MS, CloseCode, closeCodeFor, closeReasonText } from './closeCodes.js';
import type { EventEncoder } from './EventEncoder.js';
import type { EventStreamSource } from './EventStreamSource.js';
import type { ListenerDropReason } from './ListenerDropReason.js';

/**
 * One connected passive listener: a subscription to the source whose sink writes to the socket.
 * It never waits for anything the peer sends; liveness comes from the server's pings.
 */
export class EventStreamListener<E> {
  readonly name: string;
  readonly #ws: WebSocket;
  readonly #subscription: Subscription;
  #oldestUnansweredPing: number | undefined;
  #left = false;
  #killTimer: NodeJS.Timeout | undefined;
  readonly #onLeft: (listener: EventStreamListener<E>, reason: ListenerDropReason) => void;

  constructor(
    ws: WebSocket,
    source: EventStreamSource<E>,
    encoder: EventEncoder<E>,
    options: SubscriptionOptions<E> & { name: string },
    onLeft: (listener: EventStreamListener<E>, reason: ListenerDropReason) => void,
  ) {
    this.#ws = ws;
    this.name = options.name;
    this.#onLeft = onLeft;
    // Subscribed before any socket handler is attached, so a source that throws leaves nothing.
    this.#subscription = source.subscribe(
      {
        send: (event) => this.#send(encoder.encode(event)),
        close: (reason) => this.#droppedBySource(reason),
      },
      options,
    );
    // Only a pong proves the peer reads: it answers a ping queued behind everything sent before.
    ws.on('pong', () => {
      this.#oldestUnansweredPing = undefined;
    });
    ws.once('close', () => {
      clearTimeout(this.#killTimer);
      this.#leave({ code: 'disconnected', message: `${this.name} disconnected` });
      this.#subscription.unsubscribe();
    });
  }

  get left(): boolean {
    return this.#left;
  }

  /** The heartbeat round of the oldest ping not yet followed by a pong, if any. */
  get oldestUnansweredPing(): number | undefined {
    return this.#oldestUnansweredPing;
  }

  ping(round: number): void {
    this.#oldestUnansweredPing ??= round;
    this.#ws.ping();
  }

  /** A peer that stopped reading would never see a close frame: no handshake, just the socket. */
  evictUnresponsive(pongTimeoutMs: number): void {
    if (this.#left) return;
    this.#leave({
      code: 'pong-timeout',
      message: `${this.name} left a ping unanswered for ${pongTimeoutMs} ms (it stopped reading) and was dropped`,
    });
    this.#subscription.unsubscribe();
    this.#ws.terminate();
  }

  /**
   * Sends what the source already queued for this listener (a generation's last events, say: a
   * graceful stop lets work finish, then closes the stream), then closes with 1001. Bounded by
   * the source's send timeout: a listener that stopped reading is dropped, not waited for.
   */
  async shutDown(message: string): Promise<void> {
    await this.#subscription.drained();
    this.#leave({ code: 'server-closed', message: `${this.name}: ${message}` });
    this.#close(CloseCode.goingAway, message);
    this.#subscription.unsubscribe();
  }

  #close(code: number, reason: string): void {
    const ws = this.#ws;
    if (ws.readyState === WebSocket.CLOSED) return;
    if (ws.readyState === WebSocket.OPEN) ws.close(code, closeReasonText(reason));
    // A peer that stopped reading never sees our close frame; do not wait ws's 30 s for it.
    this.#killTimer ??= setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  #send(data: string | null): Promise<void> | void {
    if (data === null) return;
    // Settles once the bytes reached the kernel, so when the peer's buffers are full this hangs
    // and the source's send timeout drops it; until then the pings are what notice a stall.
    return new Promise((resolve, reject) => {
      this.#ws.send(data, (error) => (error ? reject(error) : resolve()));
    });
  }

  #droppedBySource(reason: DropReason): void {
    if (this.#left) return; // we unsubscribed it ourselves, and already dealt with the socket
    this.#leave(reason);
    this.#close(closeCodeFor(reason), reason.message);
  }

  #leave(reason: ListenerDropReason): void {
    if (this.#left) return;
    this.#left = true;
    this.#onLeft(this, reason);
  }
}

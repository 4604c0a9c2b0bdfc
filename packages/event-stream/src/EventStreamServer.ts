import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SubscriptionOptions } from '@comfyrelay/core';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_GRACE_MS, CloseCode } from './closeCodes.js';
import { EventEncoder } from './EventEncoder.js';
import { EventStreamListener } from './EventStreamListener.js';
import {
  DEFAULT_EVENT_STREAM_PATH,
  DEFAULT_PING_INTERVAL_MS,
  PONG_TIMEOUT_IN_INTERVALS,
  type EventStreamOptions,
} from './EventStreamOptions.js';
import type { EventStreamSource } from './EventStreamSource.js';
import { ListenerHeartbeat } from './ListenerHeartbeat.js';
import type { ListenerDropReason } from './ListenerDropReason.js';

/** Listeners only listen; anything they send is read (for pongs and close frames) and ignored. */
const MAX_INCOMING_MESSAGE_BYTES = 64 * 1024;
/** setInterval's limit; beyond it Node fires every millisecond. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A WebSocket endpoint that streams a source's events to passive listeners (dashboards). */
export class EventStreamServer<E> {
  readonly #source: EventStreamSource<E>;
  readonly #snapshot: () => unknown;
  readonly #encoder: EventEncoder<E>;
  readonly #path: string;
  readonly #subscriptionOptions: SubscriptionOptions<E> = {};
  readonly #onDrop: EventStreamOptions<E>['onDrop'];
  readonly #wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: MAX_INCOMING_MESSAGE_BYTES,
  });
  /** Subscribed listeners. */
  readonly #listeners = new Set<EventStreamListener<E>>();
  /** Every socket not yet closed, including listeners that left and are still closing. */
  readonly #sockets = new Set<WebSocket>();
  readonly #heartbeat: ListenerHeartbeat;
  readonly #attached: {
    server: Server;
    onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  }[] = [];
  #ownServer: Server | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: EventStreamOptions<E>) {
    this.#source = options.source;
    this.#snapshot = options.snapshot;
    this.#encoder = new EventEncoder(options.encode ?? ((event: E) => JSON.stringify(event)));
    this.#path = options.path ?? DEFAULT_EVENT_STREAM_PATH;
    if (!this.#path.startsWith('/'))
      throw new RangeError(`path must start with '/', got ${this.#path}`);
    const pingIntervalMs = checkTimer(
      'pingIntervalMs',
      options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
    );
    const pongTimeoutMs = checkTimer(
      'pongTimeoutMs',
      options.pongTimeoutMs ?? PONG_TIMEOUT_IN_INTERVALS * pingIntervalMs,
    );
    this.#heartbeat = new ListenerHeartbeat(this.#listeners, pingIntervalMs, pongTimeoutMs);
    if (options.sendTimeoutMs !== undefined)
      this.#subscriptionOptions.sendTimeoutMs = options.sendTimeoutMs;
    if (options.queueLimit !== undefined) this.#subscriptionOptions.queueLimit = options.queueLimit;
    this.#onDrop = options.onDrop;
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Starts a standalone HTTP server serving ws://host:port/path. `host` defaults to 127.0.0.1. */
  async listen(port: number, host = '127.0.0.1'): Promise<{ port: number; url: string }> {
    if (this.#closing !== undefined) throw new Error('the event stream server is closed');
    if (this.#ownServer !== undefined)
      throw new Error('the event stream server is already listening');
    const server = createServer((req, res) => {
      const ours = this.#isOurPath(req);
      res.writeHead(ours ? 426 : 404, ours ? { Upgrade: 'websocket', Connection: 'Upgrade' } : {});
      res.end(ours ? 'this endpoint only speaks WebSocket\n' : 'not found\n');
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.#isOurPath(req)) this.#upgrade(req, socket, head);
      else refuse(socket, '404 Not Found');
    });
    this.#ownServer = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.#ownServer = undefined;
      throw error;
    }
    this.#heartbeat.start();
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { port: address.port, url: `ws://${shownHost}:${address.port}${this.#path}` };
  }

  /** Shares an existing HTTP server: only upgrades on our path are handled; others are left alone. */
  attach(server: Server): void {
    if (this.#closing !== undefined) throw new Error('the event stream server is closed');
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (this.#isOurPath(req)) this.#upgrade(req, socket, head);
    };
    server.on('upgrade', onUpgrade);
    this.#attached.push({ server, onUpgrade });
    this.#heartbeat.start();
  }

  /**
   * Closes every listener (1001) once it has been sent what was already published, stops pinging
   * and closes the standalone server if any.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    this.#heartbeat.stop();
    for (const { server, onUpgrade } of this.#attached) server.off('upgrade', onUpgrade);
    this.#attached.length = 0;
    const closed = [...this.#sockets].map((ws) => once(ws, 'close'));
    await Promise.all(
      [...this.#listeners].map((listener) =>
        listener.shutDown('the event stream server is shutting down'),
      ),
    );
    await Promise.all(closed);
    this.#wss.close();
    const server = this.#ownServer;
    if (server !== undefined) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  #isOurPath(req: IncomingMessage): boolean {
    const url = req.url ?? '/';
    const end = url.search(/[?#]/);
    return (end === -1 ? url : url.slice(0, end)) === this.#path;
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closing !== undefined) {
      refuse(socket, '503 Service Unavailable');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connected(ws, req));
  }

  #connected(ws: WebSocket, req: IncomingMessage): void {
    ws.on('error', () => {
      // 'close' follows and cleans up; nothing a passive listener does is worth crashing for.
    });
    if (this.#closing !== undefined) {
      ws.terminate();
      return;
    }
    this.#sockets.add(ws);
    ws.once('close', () => this.#sockets.delete(ws));
    let snapshot: string;
    try {
      snapshot = JSON.stringify({ type: 'snapshot', data: this.#snapshot() });
    } catch {
      closeAtOnce(ws, 'could not build the snapshot');
      return;
    }
    // The snapshot is written before subscribing, in the same tick: every event published
    // after the snapshot was taken is queued behind it, and none before it is sent twice.
    ws.send(snapshot);
    const name = `event-stream listener ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    let listener: EventStreamListener<E>;
    try {
      listener = new EventStreamListener(
        ws,
        this.#source,
        this.#encoder,
        { name, ...this.#subscriptionOptions },
        (left, reason) => this.#left(left, reason),
      );
    } catch {
      closeAtOnce(ws, 'could not subscribe to the events');
      return;
    }
    // Already gone if the source is closed; its socket is closing.
    if (!listener.left) this.#listeners.add(listener);
  }

  #left(listener: EventStreamListener<E>, reason: ListenerDropReason): void {
    this.#listeners.delete(listener);
    if (this.#onDrop === undefined) return;
    try {
      this.#onDrop(listener.name, reason);
    } catch (error) {
      // The owner's callback failed, not a listener: surface it without breaking the stream.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

function checkTimer(name: string, value: number): number {
  if (!(value > 0 && value <= MAX_TIMER_MS)) {
    throw new RangeError(
      `${name} must be more than 0 and at most ${MAX_TIMER_MS} ms, got ${value}`,
    );
  }
  return value;
}

function closeAtOnce(ws: WebSocket, reason: string): void {
  ws.close(CloseCode.internalError, reason);
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}

function refuse(socket: Duplex, status: string): void {
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

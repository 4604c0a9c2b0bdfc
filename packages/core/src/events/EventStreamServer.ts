import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Broadcaster } from '../broadcast/Broadcaster.js';
import { CloseCode } from './closeCodes.js';
import { EventEncoder } from './EventEncoder.js';
import { CLOSE_GRACE_MS, EventStreamListener } from './EventStreamListener.js';

export interface EventStreamOptions<E> {
  broadcaster: Broadcaster<E>;
  /** Sent first on connect as {"type":"snapshot","data":...}. */
  snapshot: () => unknown;
  /** Default JSON.stringify. */
  encode?: (event: E) => string;
  /** Default '/events'. */
  path?: string;
  /** Default 15000: the server pings; a peer that has not ponged by the next ping is terminated. */
  pingIntervalMs?: number;
  /** Passed to each listener's subscription. */
  sendTimeoutMs?: number;
  /** Passed to each listener's subscription. */
  queueLimit?: number;
}

export const DEFAULT_EVENT_STREAM_PATH = '/events';
export const DEFAULT_PING_INTERVAL_MS = 15_000;

/** Listeners only listen; anything they send is read (for pongs and close frames) and ignored. */
const MAX_INCOMING_MESSAGE_BYTES = 64 * 1024;

/** A WebSocket endpoint that streams a Broadcaster's events to passive listeners (dashboards). */
export class EventStreamServer<E> {
  readonly #broadcaster: Broadcaster<E>;
  readonly #snapshot: () => unknown;
  readonly #encoder: EventEncoder<E>;
  readonly #path: string;
  readonly #pingIntervalMs: number;
  readonly #subscriptionOptions: { sendTimeoutMs?: number; queueLimit?: number } = {};
  readonly #wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: MAX_INCOMING_MESSAGE_BYTES,
  });
  /** Subscribed listeners. */
  readonly #listeners = new Set<EventStreamListener<E>>();
  /** Every socket not yet closed, including dropped listeners still closing. */
  readonly #sockets = new Set<WebSocket>();
  readonly #attached: {
    server: Server;
    onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  }[] = [];
  #ownServer: Server | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: EventStreamOptions<E>) {
    this.#broadcaster = options.broadcaster;
    this.#snapshot = options.snapshot;
    this.#encoder = new EventEncoder(options.encode ?? ((event: E) => JSON.stringify(event)));
    this.#path = options.path ?? DEFAULT_EVENT_STREAM_PATH;
    if (!this.#path.startsWith('/'))
      throw new RangeError(`path must start with '/', got ${this.#path}`);
    this.#pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    if (!(this.#pingIntervalMs > 0)) {
      throw new RangeError(`pingIntervalMs must be positive, got ${this.#pingIntervalMs}`);
    }
    if (options.sendTimeoutMs !== undefined)
      this.#subscriptionOptions.sendTimeoutMs = options.sendTimeoutMs;
    if (options.queueLimit !== undefined) this.#subscriptionOptions.queueLimit = options.queueLimit;
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
    this.#startPinging();
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
    this.#startPinging();
  }

  /** Closes every listener (1001), stops pinging and closes the standalone server if any. */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    clearInterval(this.#pingTimer);
    for (const { server, onUpgrade } of this.#attached) server.off('upgrade', onUpgrade);
    this.#attached.length = 0;
    const closed = [...this.#sockets].map((ws) => once(ws, 'close'));
    for (const listener of [...this.#listeners]) {
      listener.close(CloseCode.goingAway, 'the event stream server is shutting down');
      listener.subscription.unsubscribe();
    }
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
      ws.close(CloseCode.internalError, 'could not build the snapshot');
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
      return;
    }
    // The snapshot is written before subscribing, in the same tick: every event published
    // after the snapshot was taken is queued behind it, and none before it is sent twice.
    ws.send(snapshot);
    const name = `event-stream listener ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const listener = new EventStreamListener(
      ws,
      this.#broadcaster,
      this.#encoder,
      { name, ...this.#subscriptionOptions },
      (dropped) => this.#listeners.delete(dropped),
    );
    // Already dropped if the broadcaster is closed; its socket is closing.
    if (!listener.subscription.closed) this.#listeners.add(listener);
  }

  #startPinging(): void {
    if (this.#pingTimer !== undefined) return;
    // One timer for every listener; a listener that never sends a byte stays connected as
    // long as its WebSocket stack answers pings.
    this.#pingTimer = setInterval(() => {
      for (const listener of this.#listeners) listener.ping();
    }, this.#pingIntervalMs).unref();
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

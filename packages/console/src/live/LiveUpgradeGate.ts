import { Server, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AccessPolicy } from '../access/AccessPolicy.js';
import { accessRequestOf } from '../access/accessRequestOf.js';

/**
 * Checks every WebSocket upgrade against the access policy before the event stream sees it.
 * The event stream attaches to `streamServer`, a server that never listens: only upgrades that
 * passed are handed to it. The gate also keeps the upgraded sockets, to cut them on demand.
 */
export class LiveUpgradeGate {
  readonly streamServer = new Server();
  readonly #policy: AccessPolicy;
  readonly #path: string;
  readonly #sockets = new Set<Duplex>();
  #suspended = false;

  constructor(policy: AccessPolicy, path: string) {
    this.#policy = policy;
    this.#path = path;
  }

  readonly handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => {
      // A peer that vanished mid-handshake: nothing to report to anyone.
    });
    if (pathOf(request) !== this.#path) return refuse(socket, 404, 'Not Found', 'not found');
    const decision = this.#policy.check(accessRequestOf(request));
    if (!decision.allowed)
      return refuse(
        socket,
        decision.status,
        decision.status === 401 ? 'Unauthorized' : 'Forbidden',
        decision.reason,
      );
    if (this.#suspended)
      return refuse(socket, 503, 'Service Unavailable', 'the event stream is suspended');
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    this.streamServer.emit('upgrade', request, socket, head);
  };

  /** Destroys every live connection at once, without a closing handshake; returns how many. */
  disconnectAll(): number {
    const count = this.#sockets.size;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    return count;
  }

  /** Cuts every live connection and refuses new ones (503) until `resume()`. */
  suspend(): number {
    this.#suspended = true;
    return this.disconnectAll();
  }

  resume(): void {
    this.#suspended = false;
  }
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function refuse(socket: Duplex, status: number, statusText: string, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

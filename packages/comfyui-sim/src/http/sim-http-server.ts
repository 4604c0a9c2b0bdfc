import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RouteDeps } from '../routes/route-deps.js';
import { isForbiddenOrigin } from './origin-check.js';
import { BodyTooLargeError } from './read-body.js';
import { sendEmpty, sendInternalError, sendText } from './respond.js';
import { stripApiPrefix, type Router } from './router.js';

export interface SimHttpServer {
  server: Server;
  /** Destroys every connection, upgraded or not, and stops listening. */
  close(): Promise<void>;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection reset, as a killed or refusing server would produce. */
function reset(socket: Duplex): void {
  const tcp = socket as Socket;
  if (typeof tcp.resetAndDestroy === 'function') tcp.resetAndDestroy();
  else socket.destroy();
}

export function createSimHttpServer(deps: RouteDeps, router: Router): SimHttpServer {
  const { services, state } = deps;
  const { faults, events } = services;
  const connections = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true });

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (faults.isRefusing) {
      events.emit('http', { method, path: url.pathname, status: 0 });
      reset(req.socket);
      return;
    }
    res.once('finish', () =>
      events.emit('http', { method, path: url.pathname, status: res.statusCode }),
    );
    if (isForbiddenOrigin(req.headers)) return sendEmpty(res, 403);
    if (method === 'OPTIONS') return sendEmpty(res, 200);
    const route = stripApiPrefix(url.pathname);
    const delay = faults.delayFor(route);
    if (delay > 0) await pause(delay);
    if (res.destroyed) return;
    const failure = faults.failureFor(route);
    if (failure)
      return sendText(
        res,
        failure.status,
        failure.body ?? `${failure.status}: ${STATUS_CODES[failure.status] ?? 'Error'}`,
      );
    const match = router.match(method, route);
    if (match === undefined) return sendText(res, 404, '404: Not Found');
    if (match === 'method-not-allowed') return sendText(res, 405, '405: Method Not Allowed');
    try {
      await match.handler({ req, res, url, params: match.params });
    } catch (error) {
      if (res.headersSent) res.destroy();
      else if (error instanceof BodyTooLargeError)
        sendText(res, 413, '413: Request Entity Too Large');
      else sendInternalError(res);
    }
  };

  const rejectUpgrade = (socket: Duplex, path: string, status: number, body = ''): void => {
    events.emit('http', { method: 'GET', path, status });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  const handleUpgrade = async (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> => {
    // Node hands an upgrading socket over with no error listener: a client that resets it while
    // it is refused (or before ws takes it) must not crash the simulator.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (faults.isRefusing) {
      events.emit('http', { method: 'GET', path: url.pathname, status: 0 });
      return reset(socket);
    }
    const route = stripApiPrefix(url.pathname);
    if (route !== '/ws') return rejectUpgrade(socket, url.pathname, 404, '404: Not Found');
    if (isForbiddenOrigin(req.headers)) return rejectUpgrade(socket, url.pathname, 403);
    const delay = faults.delayFor(route);
    if (delay > 0) await pause(delay);
    if (socket.destroyed) return;
    const rejection = faults.upgradeRejection;
    if (rejection !== null) return rejectUpgrade(socket, url.pathname, rejection);
    const failure = faults.failureFor(route);
    if (failure) return rejectUpgrade(socket, url.pathname, failure.status, failure.body ?? '');
    wss.handleUpgrade(req, socket, head, (ws) => {
      events.emit('http', { method: 'GET', path: url.pathname, status: 101 });
      state.hub.attach(ws, url.searchParams.get('clientId'));
    });
  };

  const server = createServer((req, res) => void handleRequest(req, res));
  server.on('connection', (socket) => {
    if (faults.isRefusing) return reset(socket);
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => void handleUpgrade(req, socket, head));
  server.on('clientError', (_error, socket) => socket.destroy());

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        wss.close();
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
        server.closeAllConnections();
      }),
  };
}

import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ServerWebSocket {
  socket: WebSocket;
  clientId: string | null;
}

/**
 * A tiny stand-in for ComfyUI: HTTP and WebSocket on one port. WebSockets echo what they get,
 * and are registered by clientId the way ComfyUI does it, including its flaw: a socket's close
 * unregisters whatever socket holds that clientId by then.
 */
export class EchoServer {
  readonly registry = new Map<string, WebSocket>();
  private readonly tcpSockets = new Set<Socket>();
  private readonly http = createServer((request, response) => void respond(request, response));
  private readonly wss = new WebSocketServer({ server: this.http });

  private constructor() {
    this.http.on('connection', (socket) => {
      this.tcpSockets.add(socket);
      socket.once('close', () => this.tcpSockets.delete(socket));
    });
    this.wss.on('connection', (socket, request) => {
      const clientId = new URL(request.url ?? '/', 'http://x').searchParams.get('clientId');
      if (clientId) this.registry.set(clientId, socket);
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
      socket.on('close', () => {
        if (clientId) this.registry.delete(clientId);
      });
    });
  }

  static async start(): Promise<EchoServer> {
    const server = new EchoServer();
    server.http.listen(0, '127.0.0.1');
    await once(server.http, 'listening');
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** Subscribe before connecting: resolves with the next WebSocket the server accepts. */
  async nextWebSocket(): Promise<ServerWebSocket> {
    const [socket, request] = (await once(this.wss, 'connection')) as [WebSocket, IncomingMessage];
    const clientId = new URL(request.url ?? '/', 'http://x').searchParams.get('clientId');
    return { socket, clientId };
  }

  openTcpSockets(): number {
    return this.tcpSockets.size;
  }

  /** Resolves once every TCP socket the server has accepted is closed. */
  async allTcpSocketsClosed(): Promise<void> {
    await Promise.all([...this.tcpSockets].map((socket) => once(socket, 'close')));
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    for (const socket of this.tcpSockets) socket.destroy();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

async function respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'POST' && request.url === '/echo') {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    response.end(Buffer.concat(chunks));
    return;
  }
  if (request.url === '/hello') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('hello');
    return;
  }
  response.writeHead(404);
  response.end();
}

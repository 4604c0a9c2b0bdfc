import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ServerHooks {
  onRequest(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Only upgrades to one of `webSocketPaths` reach here. */
  onWebSocket(socket: WebSocket, req: IncomingMessage, path: string): void;
  webSocketPaths: string[];
}

/** One node:http server on a real port: HTTP requests, and WebSocket upgrades on given paths. */
export class ListeningServer {
  private constructor(
    private readonly server: Server,
    private readonly sockets: WebSocketServer,
    readonly port: number,
  ) {}

  static async listen(host: string, port: number, hooks: ServerHooks): Promise<ListeningServer> {
    const server = createServer((req, res) => {
      hooks.onRequest(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    // The client offers permessage-deflate; the fake answers uncompressed frames, as allowed.
    const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname.replace(/\/$/, '');
      if (!hooks.webSocketPaths.includes(path)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      sockets.handleUpgrade(req, socket, head, (ws) => hooks.onWebSocket(ws, req, path));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new ListeningServer(server, sockets, (server.address() as AddressInfo).port);
  }

  async close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

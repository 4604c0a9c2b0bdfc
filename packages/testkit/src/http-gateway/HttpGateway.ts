import {
  createServer,
  request as forward,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** What the gateway saw of one request (the upgrade of a WebSocket included). */
export interface GatewayRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  upgrade: boolean;
}

export interface HttpGatewayOptions {
  /** The server behind it, e.g. a simulator's URL. */
  target: string;
  /**
   * Asked for every request and upgrade: a status to refuse it with (401 for a missing
   * credential, say), or undefined to let it through.
   */
  refuse?: (request: GatewayRequest) => number | undefined;
  /**
   * Asked for every answer passed back: 'cut' forwards the request (the server acts on it), then
   * sends its status line and half its body and resets the connection.
   */
  answer?: (request: GatewayRequest) => 'pass' | 'cut';
}

/**
 * An HTTP-aware gateway in front of a ComfyUI server: it forwards requests and WebSocket
 * upgrades, records each one, and can refuse them (a server behind auth) or cut an answer after
 * the server acted on it. The byte-level faults are {@link FaultProxy}'s.
 */
export class HttpGateway {
  readonly requests: GatewayRequest[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly options: HttpGatewayOptions,
  ) {}

  static async start(options: HttpGatewayOptions): Promise<HttpGateway> {
    const server = createServer();
    const gateway = new HttpGateway(server, options);
    server.on('request', (request, response) => gateway.onRequest(request, response));
    server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) =>
      gateway.onUpgrade(request, socket, head),
    );
    server.on('connection', (socket: Socket) => {
      gateway.sockets.add(socket);
      socket.once('close', () => gateway.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return gateway;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private seen(request: IncomingMessage, upgrade: boolean): GatewayRequest {
    const seen: GatewayRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      authorization: request.headers.authorization,
      upgrade,
    };
    this.requests.push(seen);
    return seen;
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const seen = this.seen(request, false);
    const refusal = this.options.refuse?.(seen);
    if (refusal !== undefined) {
      request.resume();
      response.writeHead(refusal, { 'content-type': 'text/plain' }).end(`refused (${refusal})`);
      return;
    }
    const target = new URL(this.options.target);
    const upstream = forward(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        if (this.options.answer?.(seen) === 'cut') {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const body = Buffer.concat(chunks);
            const headers = { ...answer.headers, 'content-length': String(body.length) };
            response.writeHead(answer.statusCode ?? 502, headers);
            // Once the status line and half the body are out, the connection goes.
            response.write(body.subarray(0, Math.floor(body.length / 2)), () =>
              response.socket?.destroy(),
            );
          });
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  }

  private onUpgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const seen = this.seen(request, true);
    const refusal = this.options.refuse?.(seen);
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal} Refused\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const target = new URL(this.options.target);
    const upstream = connect(Number(target.port), target.hostname, () => {
      const lines = [`${request.method} ${request.url} HTTP/1.1`];
      for (let i = 0; i < request.rawHeaders.length; i += 2)
        lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    this.sockets.add(upstream);
    upstream.once('close', () => this.sockets.delete(upstream));
    const end = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', end);
    socket.on('error', end);
    socket.on('close', end);
    upstream.on('close', end);
  }
}

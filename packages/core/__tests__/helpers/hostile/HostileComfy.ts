import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { pythonJson } from './samples.js';

/** How one HTTP answer misbehaves. */
export interface Answer {
  status?: number;
  /** Default `application/json`. */
  contentType?: string | null;
  body?: string | Buffer;
  /**
   * `whole` (default); `reset`: half the body, then the connection is destroyed; `drip`: one
   * byte now and then, never done (the client's timeout ends it); `silent`: no answer at all.
   */
  mode?: 'whole' | 'reset' | 'drip' | 'silent';
}

export type Handler = (request: IncomingMessage, body: string, url: URL) => Answer;

/**
 * A server that speaks enough ComfyUI to run a generation (`POST /prompt`, `/queue`,
 * `/history`, `/object_info`, `/view`, `/ws`), every part of which a test can replace with a
 * broken one. One prompt's life is scripted by the test through {@link onPrompt}.
 */
export class HostileComfy {
  readonly url: string;
  /** Prompt ids ComfyUI "runs" and "queues", as `/queue` lists them. */
  readonly running: string[] = [];
  readonly pending: string[] = [];
  /** History entries as the raw JSON text of the entry (may be anything). */
  readonly history = new Map<string, string>();
  readonly posted: string[] = [];
  /** Called once a posted prompt was answered. */
  onPrompt: ((promptId: string) => void) | undefined;
  private readonly overrides = new Map<string, Handler>();
  private readonly sockets = new Set<WebSocket>();
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private socketWaiters: ((socket: WebSocket) => void)[] = [];
  private counter = 0;

  private constructor(private readonly server: Server) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
    this.wss.on('connection', (socket, request) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      const clientId = new URL(request.url ?? '/', this.url).searchParams.get('clientId') ?? '';
      socket.send(
        pythonJson({
          type: 'status',
          data: { status: { exec_info: { queue_remaining: this.queueLength } }, sid: clientId },
        }),
      );
      for (const waiter of this.socketWaiters.splice(0)) waiter(socket);
    });
    server.on('connection', (connection) => {
      this.connections.add(connection);
      connection.on('close', () => this.connections.delete(connection));
    });
    server.on('request', (request, response) => void this.handle(request, response));
  }

  static async start(): Promise<HostileComfy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new HostileComfy(server);
  }

  get queueLength(): number {
    return this.running.length + this.pending.length;
  }

  /** Replace one route (`'GET /queue'`, `'GET /history'` for every history read …). */
  answer(route: string, handler: Handler | Answer): void {
    this.overrides.set(route, typeof handler === 'function' ? handler : () => handler);
  }

  /** Back to the working route. */
  restore(route: string): void {
    this.overrides.delete(route);
  }

  /** The next socket that connects (or the one open now). */
  socket(): Promise<WebSocket> {
    const open = [...this.sockets].find((s) => s.readyState === WebSocket.OPEN);
    if (open) return Promise.resolve(open);
    return new Promise((resolve) => this.socketWaiters.push(resolve));
  }

  /** Send a frame to every open socket (text unless it is a Buffer and `binary`). */
  send(data: string | Buffer | object, binary = Buffer.isBuffer(data)): void {
    const frame = typeof data === 'string' || Buffer.isBuffer(data) ? data : pythonJson(data);
    for (const socket of this.sockets)
      if (socket.readyState === WebSocket.OPEN) socket.send(frame, { binary });
  }

  /** A status with the current queue length, as ComfyUI sends on every queue change. */
  status(): void {
    this.send({
      type: 'status',
      data: { status: { exec_info: { queue_remaining: this.queueLength } } },
    });
  }

  /** The prompt leaves the queue (it ended, as far as `/queue` can tell). */
  end(promptId: string): void {
    for (const list of [this.running, this.pending]) {
      const at = list.indexOf(promptId);
      if (at >= 0) list.splice(at, 1);
    }
  }

  start(promptId: string): void {
    this.end(promptId);
    this.running.push(promptId);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    for (const connection of this.connections) connection.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', this.url);
    const path = url.pathname.replace(/^\/api\//, '/');
    const route = `${request.method} ${path}`;
    const override =
      this.overrides.get(route) ??
      (path.startsWith('/history')
        ? this.overrides.get(`${request.method} /history`)
        : undefined) ??
      (path.startsWith('/object_info')
        ? this.overrides.get(`${request.method} /object_info`)
        : undefined);
    const answer = override
      ? override(request, body, url)
      : this.comfy(request.method ?? 'GET', path, body);
    this.write(response, answer);
    if (!override && route === 'POST /prompt' && answer.status === 200) {
      const promptId = this.posted[this.posted.length - 1]!;
      queueMicrotask(() => this.onPrompt?.(promptId));
    }
  }

  /** What a working ComfyUI answers. */
  private comfy(method: string, path: string, body: string): Answer {
    if (method === 'POST' && path === '/prompt') {
      const promptId = (JSON.parse(body) as { prompt_id: string }).prompt_id;
      this.posted.push(promptId);
      this.pending.push(promptId);
      return json({ prompt_id: promptId, number: this.counter++, node_errors: {} });
    }
    if (method === 'GET' && path === '/queue') {
      const item = (id: string, n: number) => [n, id, {}, { client_id: 'x' }, ['9']];
      return json({
        queue_running: this.running.map((id, i) => item(id, i)),
        queue_pending: this.pending.map((id, i) => item(id, 100 + i)),
      });
    }
    if (method === 'GET' && path.startsWith('/history/')) {
      const promptId = decodeURIComponent(path.slice('/history/'.length));
      const entry = this.history.get(promptId);
      return {
        status: 200,
        body: entry === undefined ? '{}' : `{${JSON.stringify(promptId)}: ${entry}}`,
      };
    }
    if (method === 'GET' && path === '/history') {
      const entries = [...this.history].map(([id, entry]) => `${JSON.stringify(id)}: ${entry}`);
      return { status: 200, body: `{${entries.join(', ')}}` };
    }
    if (method === 'GET' && path.startsWith('/object_info')) return json({});
    if (method === 'GET' && path === '/prompt')
      return json({ exec_info: { queue_remaining: this.queueLength } });
    if (method === 'POST' && (path === '/queue' || path === '/interrupt'))
      return { status: 200, contentType: null, body: '' };
    if ((method === 'GET' || method === 'HEAD') && path === '/view')
      return { status: 200, contentType: 'image/png', body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) };
    return { status: 404, contentType: 'text/plain', body: '404: Not Found' };
  }

  private write(response: ServerResponse, answer: Answer): void {
    const body =
      typeof answer.body === 'string' ? Buffer.from(answer.body) : (answer.body ?? Buffer.alloc(0));
    const headers: Record<string, string | number> = {};
    const contentType =
      answer.contentType === undefined ? 'application/json; charset=utf-8' : answer.contentType;
    if (contentType !== null) headers['content-type'] = contentType;
    const mode = answer.mode ?? 'whole';
    if (mode === 'silent') {
      response.on('close', () => response.destroy());
      return;
    }
    if (mode !== 'drip') headers['content-length'] = body.length;
    response.writeHead(answer.status ?? 200, headers);
    if (mode === 'whole') {
      response.end(body);
      return;
    }
    if (mode === 'reset') {
      response.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () =>
        response.socket?.destroy(),
      );
      return;
    }
    // drip: a byte now and then, until the client gives up.
    let at = 0;
    response.write(body.subarray(at, ++at));
    const timer = setInterval(() => {
      if (response.destroyed || at >= body.length) return;
      response.write(body.subarray(at, ++at));
    }, 10);
    this.timers.add(timer);
    response.on('close', () => {
      clearInterval(timer);
      this.timers.delete(timer);
    });
  }
}

export function json(value: unknown, status = 200): Answer {
  return { status, body: pythonJson(value) };
}

import { EventEmitter, once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';

export interface HttpResult {
  status: number;
  body: Buffer;
}

/** One request on its own connection (no keep-alive), so nothing lingers after it. */
export async function httpRequest(
  url: string,
  options: { method?: string; body?: Buffer } = {},
): Promise<HttpResult> {
  const outgoing = request(url, { method: options.method ?? 'GET', agent: false });
  outgoing.end(options.body);
  const [response] = (await once(outgoing, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, body: Buffer.concat(chunks) };
}

export async function openWebSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'));
  await once(socket, 'open');
  return socket;
}

/** Sends `text` and resolves with the next message, as text. */
export async function roundTrip(socket: WebSocket, text: string): Promise<string> {
  const reply = once(socket, 'message');
  socket.send(text);
  const [data] = (await reply) as [Buffer];
  return data.toString();
}

/** Resolves with the close code; registers first, so call it before triggering the close. */
export async function closeCode(socket: WebSocket): Promise<number> {
  const [code] = (await once(socket, 'close')) as [number];
  return code;
}

/** A plain TCP client; tests that care about its errors listen for them explicitly. */
export async function connectRaw(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  // Faults end these sockets with resets; that is expected, not a test failure.
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

/** Resolves with everything the socket receives from now until `text` shows up in it. */
export function readUntil(socket: Socket, text: string): Promise<string> {
  let received = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
      if (!received.includes(text)) return;
      socket.off('data', onData);
      resolve(received);
    };
    socket.on('data', onData);
  });
}

/** Resolves when the socket closes, whether or not an error came first. */
export function socketClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Resolves with the error code a fresh TCP connection to `port` fails with. */
export async function connectionErrorCode(port: number): Promise<string | undefined> {
  const socket = connect({ host: '127.0.0.1', port });
  const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
  return error.code;
}

export function webSocketHandshake(path = '/', upgradeHeader = 'Upgrade: websocket'): string {
  return [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    upgradeHeader,
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

/** Like the relay: reconnects whenever its WebSocket closes or fails to open, until stopped. */
export class ReconnectingClient {
  private readonly opened = new EventEmitter();
  private current: WebSocket | undefined;
  private stopped = false;

  constructor(private readonly url: string) {
    this.connect();
  }

  /** Subscribe before the reconnect can happen: resolves with the next socket that opens. */
  async nextOpen(): Promise<WebSocket> {
    const [socket] = (await once(this.opened, 'open')) as [WebSocket];
    return socket;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const socket = this.current;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    const closed = once(socket, 'close');
    socket.terminate();
    await closed;
  }

  private connect(): void {
    const socket = new WebSocket(this.url.replace(/^http/, 'ws'));
    this.current = socket;
    socket.on('open', () => this.opened.emit('open', socket));
    // A cut during the handshake ends in 'error' then 'close'; 'close' reconnects in both cases.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (!this.stopped) this.connect();
    });
  }
}

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The fake server's side of RFC 6455, by hand, so that a whole prompt's frames can be encoded
 * once and written in one call: the server then costs next to nothing and the benchmark
 * measures the client. Server frames are unmasked; client frames are masked.
 */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const Opcode = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

export function textFrame(text: string): Buffer {
  return encodeFrame(Opcode.text, Buffer.from(text, 'utf8'));
}

/** One accepted WebSocket: raw writes out, pings and close handled in. */
export class RawPeer {
  readonly clientId: string;
  closed = false;
  private pending: Buffer = Buffer.alloc(0);
  private readonly onClose: () => void;

  constructor(
    readonly socket: Socket,
    clientId: string,
    onClose: () => void,
  ) {
    this.clientId = clientId;
    this.onClose = onClose;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** Returns false when the caller should wait for {@link drained}. */
  write(frames: Buffer): boolean {
    if (this.closed) return true;
    return this.socket.write(frames);
  }

  drained(): Promise<void> {
    if (this.closed || !this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onClose();
  }

  private read(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const buf = this.pending;
      if (buf.length < 2) return;
      const opcode = (buf[0] ?? 0) & 0x0f;
      const second = buf[1] ?? 0;
      const masked = (second & 0x80) !== 0;
      let length = second & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buf.length < 4) return;
        length = buf.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buf.length < 10) return;
        length = Number(buf.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (buf.length < offset + length) return;
      const payload = Buffer.from(buf.subarray(offset, offset + length));
      if (masked)
        for (let i = 0; i < payload.length; i++)
          payload[i] = (payload[i] ?? 0) ^ (buf[maskOffset + (i % 4)] ?? 0);
      this.pending = buf.subarray(offset + length);
      if (opcode === Opcode.ping) this.socket.write(encodeFrame(Opcode.pong, payload));
      if (opcode === Opcode.close) {
        this.socket.end(encodeFrame(Opcode.close, payload.subarray(0, 2)));
        this.closed = true;
        this.onClose();
        return;
      }
    }
  }
}

/** Completes the handshake on an `upgrade` request; returns the clientId, or undefined when refused. */
export function acceptUpgrade(request: IncomingMessage, socket: Socket): string | undefined {
  const url = new URL(request.url ?? '/', 'http://fake');
  const path = url.pathname.replace(/^\/api/, '');
  const key = request.headers['sec-websocket-key'];
  if (path !== '/ws' || typeof key !== 'string') {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return undefined;
  }
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  return url.searchParams.get('clientId') ?? `anonymous-${Math.random().toString(16).slice(2)}`;
}

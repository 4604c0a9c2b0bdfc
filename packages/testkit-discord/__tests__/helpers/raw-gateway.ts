import { WebSocket } from 'ws';
import type { FakeDiscord } from '../../src/index.js';

export interface Frame {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/** A bare gateway client for protocol-level checks, recording every frame and the close. */
export class RawGateway {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  static async open(fake: FakeDiscord, query = '?v=10&encoding=json'): Promise<RawGateway> {
    const ws = new WebSocket(`ws://127.0.0.1:${fake.port}/gateway${query}`);
    const gateway = new RawGateway(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return gateway;
  }

  send(payload: { op: number; d: unknown }): void {
    this.ws.send(JSON.stringify(payload));
  }

  /** The first frame (from `from` on) that satisfies `predicate`. */
  async waitFor(predicate: (frame: Frame) => boolean, from = 0): Promise<Frame> {
    for (;;) {
      const found = this.frames.slice(from).find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  identify(token: string, intents = 1): void {
    this.send({
      op: 2,
      d: { token, intents, properties: { os: 'linux', browser: 'raw', device: 'raw' } },
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

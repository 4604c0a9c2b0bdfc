import WebSocket from 'ws';
import type { ComfySimulator } from '../../src/index.js';

/** Message payloads are whatever the server sent; tests assert on them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FrameData = any;

export interface JsonFrame {
  kind: 'json';
  type: string;
  data: FrameData;
}
export interface BinaryFrame {
  kind: 'binary';
  event: number;
  bytes: Buffer;
}
export type Frame = JsonFrame | BinaryFrame;

export interface OpenOptions {
  clientId?: string;
  /** Send the feature_flags handshake as the first message. */
  featureFlags?: boolean;
  /** Shared log for ordering assertions; entries are `${label}:${type}`. */
  timeline?: string[];
  label?: string;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** A raw `ws` client that records every frame and lets tests wait for one (no sleeps). */
export class TestSocket {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly closed: Promise<number>;

  private constructor(
    readonly ws: WebSocket,
    options: OpenOptions,
  ) {
    ws.on('message', (data: Buffer, isBinary) => {
      const frame: Frame = isBinary
        ? { kind: 'binary', event: data.readUInt32BE(0), bytes: data }
        : { kind: 'json', ...(JSON.parse(data.toString()) as { type: string; data: unknown }) };
      this.frames.push(frame);
      options.timeline?.push(
        `${options.label ?? 'ws'}:${frame.kind === 'json' ? frame.type : `binary${frame.event}`}`,
      );
      for (const wake of [...this.waiters]) wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        for (const wake of [...this.waiters]) wake();
        resolve(code);
      }),
    );
  }

  /** Opens a socket and waits for the server's first `status`. */
  static async open(sim: ComfySimulator, options: OpenOptions = {}): Promise<TestSocket> {
    const query =
      options.clientId === undefined ? '' : `?clientId=${encodeURIComponent(options.clientId)}`;
    const ws = new WebSocket(`${sim.url.replace(/^http/, 'ws')}/ws${query}`);
    const socket = new TestSocket(ws, options);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    if (options.featureFlags)
      socket.send({ type: 'feature_flags', data: { supports_preview_metadata: true } });
    await socket.waitForJson('status');
    return socket;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  json(type?: string): JsonFrame[] {
    return this.frames.filter(
      (f): f is JsonFrame => f.kind === 'json' && (type === undefined || f.type === type),
    );
  }

  binary(): BinaryFrame[] {
    return this.frames.filter((f): f is BinaryFrame => f.kind === 'binary');
  }

  types(): string[] {
    return this.frames.map((f) => (f.kind === 'json' ? f.type : `binary${f.event}`));
  }

  /** Frames of one prompt (those carrying its prompt_id) plus everything binary, in order. */
  typesFor(promptId: string): string[] {
    return this.frames
      .filter((f) => f.kind === 'binary' || f.data?.prompt_id === promptId)
      .map((f) => (f.kind === 'json' ? f.type : `binary${f.event}`));
  }

  /** Resolves with the first recorded or future frame matching `predicate`. */
  waitFor(
    predicate: (frame: Frame, index: number) => boolean,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.frames.find(predicate);
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for a frame; got: ${this.types().join(', ')}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      const wake = (): void => void check();
      if (!check()) this.waiters.add(wake);
    });
  }

  async waitForJson(
    type: string,
    predicate: (data: FrameData) => boolean = () => true,
    timeoutMs?: number,
  ): Promise<JsonFrame> {
    return (await this.waitFor(
      (f) => f.kind === 'json' && f.type === type && predicate(f.data),
      timeoutMs,
    )) as JsonFrame;
  }

  /** Waits for a `status` reporting an empty queue that came after the greeting status. */
  waitForQueueEmpty(): Promise<Frame> {
    return this.waitFor(
      (f, index) =>
        index > 0 &&
        f.kind === 'json' &&
        f.type === 'status' &&
        f.data.status.exec_info.queue_remaining === 0,
    );
  }

  /** Waits for the closing `executing {node: null}` of a prompt. */
  waitForPromptEnd(promptId: string): Promise<JsonFrame> {
    return this.waitForJson('executing', (d) => d.node === null && d.prompt_id === promptId);
  }

  waitForClose(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    return Promise.race([
      this.closed,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error('socket did not close')), timeoutMs),
      ),
    ]);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.waitForClose();
  }
}

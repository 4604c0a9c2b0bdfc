import WebSocket from 'ws';
import type { ComfyMessage, PreviewImage } from '../protocol/messages.js';
import { readComfyMessage } from '../router/PromptRouter.js';
import { TypedEmitter } from '../util/TypedEmitter.js';
import { silentLogger, type Logger } from '../util/Logger.js';
import { Backoff, type BackoffOptions } from './Backoff.js';
import { decodeBinaryFrame } from './decodeBinaryFrame.js';
import { readProgressFrame } from './readProgressFrame.js';

/**
 * `progress_state` repeats what `progress` and `executing` say, for every node, on every step: a
 * third of ComfyUI's traffic. Nothing here reads it, so it is recognised by its first bytes and
 * never parsed (Python's json.dumps and JSON.stringify spellings).
 */
const skippedPrefixes = ['{"type": "progress_state"', '{"type":"progress_state"'].map((prefix) =>
  Buffer.from(prefix),
);

function isSkipped(data: Buffer): boolean {
  // Byte by byte: cheaper than Buffer.compare for a prefix this short.
  next: for (const prefix of skippedPrefixes) {
    if (data.length < prefix.length) continue;
    for (let i = prefix.length - 1; i >= 0; i--) if (data[i] !== prefix[i]) continue next;
    return true;
  }
  return false;
}

/**
 * A socket this long without a frame has caught up with the server (see `whenQuiet`): longer
 * than the gaps between the reads of a stream, shorter than a sampler step.
 */
const QUIET_MS = 10;

function isStatus(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'status'
  );
}

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f]+/g;

/** The start of a frame, for a log line: short, printable. */
function excerpt(data: Buffer): string {
  const text = data.toString('utf8', 0, Math.min(data.length, 80)).replace(controlCharacters, ' ');
  return data.length > 80 ? `${text}…` : text;
}

/** An error, for a log line: its message, cut short. */
function describe(error: unknown): string {
  const text =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'an error';
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function toBuffers(data: WebSocket.RawData): Buffer[] {
  if (Array.isArray(data)) return data;
  return [Buffer.from(data as ArrayBuffer)];
}

/** The connection a socket belongs to (see `onSocketMessage`). */
const owner = Symbol('ComfyConnection');
type OwnedSocket = WebSocket & { [owner]?: ComfyConnection };

/**
 * Every socket's frame listener: one function for every connection, not a closure of each. The
 * socket's hot path then runs the same compiled code whichever connection it serves — a closure
 * per connection would be compiled with that connection in it, and thrown away with it.
 */
function onSocketMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  (this as OwnedSocket)[owner]?.frame(this, data, isBinary);
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionStateChange {
  state: ConnectionState;
  /** Why the state changed, in words (last error, close code …). */
  reason?: string;
  /** Delay before the next attempt, when reconnecting. */
  retryInMs?: number;
  attempt?: number;
}

export interface ComfyConnectionOptions {
  baseUrl: string;
  clientId: string;
  backoff?: BackoffOptions;
  /** Give up on one opening attempt after this long (default 10 s). */
  openTimeoutMs?: number;
  /** After a submission, a socket that receives nothing for this long is deaf: reconnect (default 1.5 s). */
  deafAfterMs?: number;
  /** Ping the server this often to detect a dead peer (default 30 s; 0 disables). */
  pingIntervalMs?: number;
  /** Sent with the upgrade request (a server behind auth: `authorization`). */
  headers?: Readonly<Record<string, string>>;
  logger?: Logger;
  /**
   * The connection's owner (its backend's router): handed every message first, by a plain
   * method call, before the `message` listeners. Every message goes through it. An object with
   * a method, not a closure: the socket's hot path then calls the same code whatever connection
   * it serves (a closure of each owner would be compiled in, and thrown away with its owner).
   */
  router?: { dispatch(message: ComfyMessage): void };
}

type ConnectionEvents = {
  state: [ConnectionStateChange];
  message: [ComfyMessage];
  preview: [PreviewImage];
  /** The socket is open again after having been lost: tracked prompts need reconciling. */
  reconnected: [];
  /** The socket heard nothing of what the server did: it was deaf and is being replaced. */
  deaf: [];
};

/**
 * The one persistent WebSocket to one ComfyUI server. Opened once by {@link start}, closed by
 * {@link stop}; in between it reconnects on its own with capped, jittered backoff, always
 * closing the old socket fully before opening a new one (see PROTOCOL.md, trap 1).
 */
export class ComfyConnection extends TypedEmitter<ConnectionEvents> {
  readonly clientId: string;
  private readonly wsUrl: string;
  private readonly backoff: Backoff;
  private readonly openTimeoutMs: number;
  private readonly deafAfterMs: number;
  private readonly pingIntervalMs: number;
  private readonly logger: Logger;
  private readonly headers: Record<string, string>;
  private readonly router: { dispatch(message: ComfyMessage): void } | undefined;
  private socket: WebSocket | undefined;
  private currentState: ConnectionState = 'idle';
  private hasOpenedBefore = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private deafTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private awaitingPong = false;
  private received = 0;
  private statuses = 0;
  /** Why the current attempt failed: the first error wins. */
  private lastError: string | undefined;
  private openWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** Waiting for the socket to catch up (see `whenQuiet`), each with its latest time. */
  private quietWaiters: { resolve: (quiet: boolean) => void; until: number }[] = [];
  /** Looks for quiet every `QUIET_MS` while anyone waits; the frame count at the last look. */
  private quietTimer: NodeJS.Timeout | undefined;
  private heardAtQuietCheck = 0;

  constructor(options: ComfyConnectionOptions) {
    super();
    this.clientId = options.clientId;
    const url = new URL(options.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
    url.search = `clientId=${encodeURIComponent(options.clientId)}`;
    this.wsUrl = url.toString();
    this.backoff = new Backoff(options.backoff);
    this.openTimeoutMs = options.openTimeoutMs ?? 10_000;
    this.deafAfterMs = options.deafAfterMs ?? 1_500;
    this.pingIntervalMs = options.pingIntervalMs ?? 30_000;
    this.logger = options.logger ?? silentLogger;
    this.router = options.router;
    this.headers = { ...options.headers };
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get isOpen(): boolean {
    return this.currentState === 'open';
  }

  /**
   * How many frames every socket of this connection has received so far. A deaf socket hears
   * nothing at all, so "did this number move?" is how a check tells silence from deafness.
   */
  get messagesReceived(): number {
    return this.received;
  }

  /** How many `status` messages came: ComfyUI sends one to every socket whenever its queue changes. */
  get statusesReceived(): number {
    return this.statuses;
  }

  /** Start connecting. Never throws for an unreachable server: it keeps retrying, observable through `state`. */
  start(): void {
    if (this.currentState !== 'idle') return;
    this.open();
  }

  /** Resolves when the socket is open (now or later); rejects after `timeoutMs` or on {@link stop}. */
  waitOpen(timeoutMs = this.openTimeoutMs): Promise<void> {
    if (this.currentState === 'open') return Promise.resolve();
    if (this.currentState === 'closed') return Promise.reject(new Error('connection is closed'));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.openWaiters = this.openWaiters.filter((w) => w !== waiter);
        reject(new Error(`ComfyUI socket not open after ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.openWaiters.push(waiter);
    });
  }

  /**
   * Call after each submission. ComfyUI answers every enqueue with `status` on the owner's
   * socket; if nothing at all arrives within `deafAfterMs`, the socket has been silently
   * unregistered on the server (duplicate clientId race) and is replaced.
   */
  expectActivity(): void {
    if (this.deafTimer || this.currentState !== 'open') return;
    this.deafTimer = setTimeout(() => {
      this.deafTimer = undefined;
      this.declareDeaf('no message after a submission');
    }, this.deafAfterMs);
    this.deafTimer.unref();
  }

  /**
   * Resolves once the socket has gone `QUIET_MS` without a frame — it has caught up with what the
   * server sent — with true; or with false after about `maxWaitMs` if it never did. For work that
   * can wait a moment (reading history, refreshing the queue view): done while frames pour in, it
   * would only compete with reading them, and whatever it read would be behind what the socket is
   * about to say. One timer every `QUIET_MS` while anyone waits, whoever waits.
   */
  whenQuiet(maxWaitMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      this.quietWaiters.push({ resolve, until: performance.now() + maxWaitMs });
      if (this.quietTimer) return;
      this.heardAtQuietCheck = this.received;
      this.quietTimer = setTimeout(this.checkQuiet, QUIET_MS);
      this.quietTimer.unref();
    });
  }

  private readonly checkQuiet = (): void => {
    this.quietTimer = undefined;
    const quiet = this.received === this.heardAtQuietCheck;
    const now = performance.now();
    const waiters = this.quietWaiters;
    const due = quiet ? waiters : waiters.filter((waiter) => waiter.until <= now);
    if (due.length > 0) this.quietWaiters = quiet ? [] : waiters.filter((w) => w.until > now);
    if (this.quietWaiters.length > 0) {
      this.heardAtQuietCheck = this.received;
      this.quietTimer = setTimeout(this.checkQuiet, QUIET_MS);
      this.quietTimer.unref();
    }
    for (const waiter of due) waiter.resolve(quiet);
  };

  /** How long a socket may stay silent after the server did something it should have heard of. */
  get deafGraceMs(): number {
    return this.deafAfterMs;
  }

  /**
   * The server moved on and this socket heard nothing: it was unregistered on the server (see
   * PROTOCOL.md, trap 1). Close it fully, then open a new one; `reconnected` follows.
   */
  declareDeaf(why: string): void {
    if (this.currentState !== 'open') return;
    this.logger.warn(`ComfyUI socket is deaf (${why}); reconnecting`);
    this.emit('deaf');
    void this.replaceSocket(`socket was deaf: ${why}`);
  }

  /** Close for good: the socket is fully closed when this resolves. */
  async stop(): Promise<void> {
    if (this.currentState === 'closed') return;
    this.setState({ state: 'closed', reason: 'stopped' });
    this.clearTimers();
    for (const waiter of this.openWaiters.splice(0)) waiter.reject(new Error('connection stopped'));
    await this.closeSocket();
  }

  private open(): void {
    this.lastError = undefined;
    this.setState({
      state: this.hasOpenedBefore ? 'reconnecting' : 'connecting',
      attempt: this.backoff.attempts,
    });
    const socket = new WebSocket(this.wsUrl, {
      headers: this.headers,
      handshakeTimeout: this.openTimeoutMs,
      perMessageDeflate: false,
      // JSON.parse rejects what matters; validating UTF-8 first only doubles the work.
      skipUTF8Validation: true,
    });
    this.socket = socket;
    socket.binaryType = 'nodebuffer';

    socket.on('open', () => {
      if (this.socket !== socket) return;
      // Announce binary previews with metadata (event 4): they carry their prompt_id.
      socket.send(
        JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }),
      );
      const reconnected = this.hasOpenedBefore;
      this.hasOpenedBefore = true;
      this.setState({ state: 'open' });
      this.startPinging(socket);
      for (const waiter of this.openWaiters.splice(0)) waiter.resolve();
      if (reconnected) this.emit('reconnected');
    });
    (socket as OwnedSocket)[owner] = this;
    socket.on('message', onSocketMessage);
    socket.on('pong', () => {
      this.awaitingPong = false;
    });
    socket.on('unexpected-response', (_request, response) => {
      // 403 and friends: treat like any failed attempt, with the status in the reason.
      this.lastError ??= `ComfyUI answered ${response.statusCode} to the WebSocket upgrade`;
      response.resume();
      socket.terminate();
    });
    socket.on('error', (error) => {
      this.logger.debug('ComfyUI socket error', { error: error.message });
      // The first error of an attempt says why; the ones after it are consequences.
      this.lastError ??= error.message;
    });
    socket.on('close', (code) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.stopPinging();
      if (this.currentState === 'closed') return;
      this.scheduleReconnect(this.lastError ?? `socket closed (${code})`);
      this.lastError = undefined;
    });
  }

  /** One frame of one of its sockets (see `onSocketMessage`). */
  frame(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    if (this.socket !== socket) return;
    this.onActivity();
    const frame = Buffer.isBuffer(data) ? data : Buffer.concat(toBuffers(data));
    try {
      if (isBinary) this.onBinary(frame);
      else this.onText(frame);
    } catch (error) {
      // Nothing above should throw; if anything does, the socket still reads the next frame.
      this.logger.error('a ComfyUI frame could not be handled', { error: describe(error) });
    }
  }

  /**
   * One text frame: parsed, read (see `readComfyMessage`) and emitted when it is a well-formed
   * message. A frame that is not JSON, or not a message ComfyUI sends, is one warning in the
   * log and reaches no one.
   */
  private onText(data: Buffer): void {
    if (isSkipped(data)) return;
    // One frame in two is a sampler step: read from its bytes when spelt as ComfyUI spells it.
    let parsed: unknown = readProgressFrame(data);
    try {
      parsed ??= JSON.parse(data.toString('utf8'));
    } catch {
      this.logger.warn('ignored a ComfyUI message that is not JSON', { starts: excerpt(data) });
      return;
    }
    // Any status, even one we cannot read, says the socket hears the server's queue moves.
    if (isStatus(parsed)) this.statuses += 1;
    const message = readComfyMessage(parsed);
    if (typeof message === 'string') {
      this.logger.warn(`ignored a ComfyUI message that could not be read: ${message}`, {
        starts: excerpt(data),
      });
      return;
    }
    try {
      this.router?.dispatch(message);
      this.emit('message', message);
    } catch (error) {
      this.logger.warn('a ComfyUI message could not be handled', { error: describe(error) });
    }
  }

  /** Previews are emitted; progress text (event 3) is not used; the rest is noted in the log. */
  private onBinary(data: Buffer): void {
    const frame = decodeBinaryFrame(data);
    if (frame.kind === 'preview') this.deliver('preview', frame.preview);
    else if (frame.kind === 'unknown') {
      if (frame.problem !== undefined)
        this.logger.warn(`ignored a binary ComfyUI frame that could not be read: ${frame.problem}`);
      else
        this.logger.debug('ignored a binary ComfyUI frame of an unknown kind', {
          event: frame.event,
        });
    }
  }

  /**
   * A listener that throws (a progress interpreter's bug) must not break the socket's reading:
   * the error is logged and the next frame is read as usual.
   */
  private deliver<K extends 'message' | 'preview'>(event: K, ...args: ConnectionEvents[K]): void {
    try {
      this.emit(event, ...args);
    } catch (error) {
      this.logger.warn(`a ComfyUI ${event} could not be handled`, { error: describe(error) });
    }
  }

  private onActivity(): void {
    this.received += 1;
    this.backoff.reset();
    if (this.deafTimer) {
      clearTimeout(this.deafTimer);
      this.deafTimer = undefined;
    }
  }

  private scheduleReconnect(reason: string): void {
    const retryInMs = this.backoff.next();
    this.setState({ state: 'reconnecting', reason, retryInMs, attempt: this.backoff.attempts });
    this.logger.info('ComfyUI socket lost; reconnecting', { reason, retryInMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.currentState !== 'closed') this.open();
    }, retryInMs);
    this.retryTimer.unref();
  }

  /** Close the current socket fully, then open a new one (after backoff). */
  private async replaceSocket(reason: string): Promise<void> {
    this.lastError = reason;
    const socket = this.socket;
    if (!socket) return;
    await this.closeSocket();
    if (this.currentState === 'closed') return;
    this.scheduleReconnect(reason);
    this.lastError = undefined;
  }

  private async closeSocket(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    this.stopPinging();
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.terminate();
    });
  }

  private startPinging(socket: WebSocket): void {
    if (this.pingIntervalMs <= 0) return;
    this.awaitingPong = false;
    this.pingTimer = setInterval(() => {
      if (this.awaitingPong) {
        this.logger.warn('ComfyUI did not answer a ping; reconnecting');
        void this.replaceSocket('no answer to ping');
        return;
      }
      this.awaitingPong = true;
      socket.ping();
    }, this.pingIntervalMs);
    this.pingTimer.unref();
  }

  private stopPinging(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.deafTimer) clearTimeout(this.deafTimer);
    this.retryTimer = undefined;
    this.deafTimer = undefined;
    this.stopPinging();
  }

  private setState(change: ConnectionStateChange): void {
    this.currentState = change.state;
    this.emit('state', change);
  }
}

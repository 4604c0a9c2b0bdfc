import type { RelayEvent, Snapshot } from './wire.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface ConnectionHandlers {
  snapshot(snapshot: Snapshot): void;
  event(event: RelayEvent): void;
  state(state: ConnectionState): void;
  /** The server refused us (a session that expired): the page has to log in again. */
  refused(): void;
}

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];
const MAX_RETRY_DELAY_MS = 5000;

/**
 * The page's one connection to /events: a snapshot first, then events. It reconnects by itself
 * (backing off, at once when the network or the tab comes back) and each new connection starts
 * with a fresh snapshot, so the page never needs a reload.
 */
export class EventConnection {
  readonly #handlers: ConnectionHandlers;
  #socket: WebSocket | undefined;
  #failures = 0;
  #retryTimer: number | undefined;

  constructor(handlers: ConnectionHandlers) {
    this.#handlers = handlers;
    window.addEventListener('online', () => this.#retryNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.#retryNow();
    });
  }

  connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/events`);
    this.#socket = socket;
    let gotSnapshot = false;
    socket.addEventListener('message', (message: MessageEvent<string>) => {
      const data = JSON.parse(message.data) as { type: string; data?: Snapshot };
      if (data.type === 'snapshot' && data.data) {
        gotSnapshot = true;
        this.#failures = 0;
        this.#handlers.state('live');
        this.#handlers.snapshot(data.data);
      } else this.#handlers.event(data as RelayEvent);
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#handlers.state('reconnecting');
      if (!gotSnapshot) void this.#checkSession();
      this.#scheduleRetry();
    });
  }

  #scheduleRetry(): void {
    const delay = RETRY_DELAYS_MS[this.#failures] ?? MAX_RETRY_DELAY_MS;
    this.#failures += 1;
    // Jitter, so many pages do not come back all at once after a restart.
    this.#retryTimer = window.setTimeout(
      () => this.#retryNow(),
      delay * (0.75 + Math.random() / 2),
    );
  }

  #retryNow(): void {
    if (this.#socket !== undefined) return;
    window.clearTimeout(this.#retryTimer);
    this.connect();
  }

  /** A WebSocket refused at the upgrade only says "closed": ask the API whether we may still enter. */
  async #checkSession(): Promise<void> {
    const answer = await fetch('/api/session').catch(() => undefined);
    if (answer?.status === 401) this.#handlers.refused();
  }
}

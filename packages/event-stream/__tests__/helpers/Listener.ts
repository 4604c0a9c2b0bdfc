import { WebSocket, type ClientOptions } from 'ws';

const opened: Listener[] = [];

/** A raw `ws` client that never sends a message; it records what it receives. */
export class Listener {
  readonly ws: WebSocket;
  readonly messages: unknown[] = [];
  pings = 0;
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: { ready: () => boolean; resolve: () => void }[] = [];

  constructor(url: string, options?: ClientOptions) {
    this.ws = new WebSocket(url, options);
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      this.#check();
    });
    this.ws.on('ping', () => {
      this.pings++;
      this.#check();
    });
    this.ws.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    opened.push(this);
  }

  get updates(): unknown[] {
    return this.messages.slice(1);
  }

  /** The name the server gives this listener: it ends with our side's address. */
  get serverName(): string {
    const socket = (this.ws as unknown as { _socket: { localAddress: string; localPort: number } })
      ._socket;
    return `event-stream listener ${socket.localAddress}:${socket.localPort}`;
  }

  until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ ready, resolve }));
  }

  untilMessages(count: number): Promise<void> {
    return this.until(() => this.messages.length >= count);
  }

  /** Wakes the waiters of a condition that changed outside a message or a ping. */
  check(): void {
    this.#check();
  }

  #check(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.ready()) return true;
      w.resolve();
      return false;
    });
  }
}

export function terminateListeners(): void {
  for (const listener of opened.splice(0)) listener.ws.terminate();
}

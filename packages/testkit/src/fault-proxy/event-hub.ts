import { EventEmitter } from 'node:events';

export type Listener<T> = (payload: T) => void;

/** Typed events with one payload each, plus promise-based waiting that can be cancelled. */
export class EventHub<Events extends object> {
  private readonly emitter = new EventEmitter();
  private readonly pendingWaits = new Set<(reason: Error) => void>();

  constructor(private readonly owner: string) {
    // Tests attach many short-lived listeners; the default limit of 10 would only produce noise.
    this.emitter.setMaxListeners(0);
  }

  on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): void {
    this.emitter.on(event, listener);
  }

  once<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): void {
    this.emitter.once(event, listener);
  }

  off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): void {
    this.emitter.off(event, listener);
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.emitter.emit(event, payload);
  }

  /** Resolves with the first payload of `event` that satisfies `predicate`. */
  next<K extends keyof Events & string>(
    event: K,
    predicate: (payload: Events[K]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        this.off(event, listener);
        this.pendingWaits.delete(cancel);
      };
      const cancel = (reason: Error): void => {
        settle();
        reject(reason);
      };
      const listener = (payload: Events[K]): void => {
        try {
          if (!predicate(payload)) return;
        } catch (error) {
          cancel(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        settle();
        resolve(payload);
      };
      const timer = setTimeout(() => {
        cancel(new Error(`${this.owner}: no matching '${event}' event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on(event, listener);
      this.pendingWaits.add(cancel);
    });
  }

  /** Rejects every promise still waiting in next(). */
  cancelWaits(reason: Error): void {
    for (const cancel of [...this.pendingWaits]) cancel(reason);
  }
}

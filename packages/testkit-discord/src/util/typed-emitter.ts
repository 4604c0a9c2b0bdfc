import { EventEmitter } from 'node:events';

export type Listener<T> = (payload: T) => void;

/** EventEmitter with one typed payload object per event name. */
export class TypedEmitter<Events extends object> {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Tests attach many short-lived waiters; the default limit of 10 would only warn.
    this.emitter.setMaxListeners(0);
  }

  on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    this.emitter.on(event, listener);
    return this;
  }

  off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    this.emitter.off(event, listener);
    return this;
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.emitter.emit(event, payload);
  }

  /** The first payload of `event` (emitted after this call) that satisfies `predicate`. */
  next<K extends keyof Events & string>(
    event: K,
    predicate: (payload: Events[K]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      const listener = (payload: Events[K]): void => {
        if (!predicate(payload)) return;
        clearTimeout(timer);
        this.off(event, listener);
        resolve(payload);
      };
      const timer = setTimeout(() => {
        this.off(event, listener);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for fake Discord event '${event}'`),
        );
      }, timeoutMs);
      this.on(event, listener);
    });
  }
}

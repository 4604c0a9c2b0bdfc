import { EventEmitter } from 'node:events';

export type Listener<T> = (payload: T) => void;

/** EventEmitter with one typed payload per event name. */
export class TypedEmitter<Events extends object> {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Tests park many short-lived waiters at once; the default cap of 10 would only warn.
    this.emitter.setMaxListeners(0);
  }

  on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): void {
    this.emitter.on(event, listener);
  }

  off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): void {
    this.emitter.off(event, listener);
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.emitter.emit(event, payload);
  }
}

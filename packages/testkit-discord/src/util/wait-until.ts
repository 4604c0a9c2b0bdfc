import type { TypedEmitter } from './typed-emitter.js';

/**
 * Resolves with `probe()` once it returns something: checked now, then after each of `events`
 * (in a microtask, so whoever emitted has finished updating its state).
 */
export function waitUntil<Events extends object, T>(
  emitter: TypedEmitter<Events>,
  events: (keyof Events & string)[],
  probe: () => T | undefined,
  timeoutMs: number,
  description: string,
): Promise<T> {
  const now = probe();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const check = (): void => {
      queueMicrotask(() => {
        const value = probe();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      });
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      for (const event of events) emitter.off(event, check);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`));
    }, timeoutMs);
    for (const event of events) emitter.on(event, check);
  });
}

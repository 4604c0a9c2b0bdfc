import type { TypedEmitter } from './typed-emitter.js';

export const DEFAULT_WAIT_MS = 10_000;

/**
 * Resolves with the first non-undefined result of `check`, run now and again after each of the
 * `events`. Checking the current state first is what makes waiting after the fact race-free.
 */
export function waitFor<Events extends object, T>(
  emitter: TypedEmitter<Events>,
  events: (keyof Events & string)[],
  check: () => T | undefined,
  what: string,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<T> {
  const ready = check();
  if (ready !== undefined) return Promise.resolve(ready);
  return new Promise((resolve, reject) => {
    const recheck = (): void => {
      const value = check();
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      for (const event of events) emitter.off(event, recheck);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    for (const event of events) emitter.on(event, recheck);
  });
}

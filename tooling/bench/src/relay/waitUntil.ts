import { sleep } from '../throughput/measure.js';

/** Polls `done` every `everyMs` until it holds; false if `timeoutMs` passed first. */
export async function waitUntil(
  done: () => boolean,
  timeoutMs: number,
  everyMs = 5,
): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > until) return false;
    await sleep(everyMs);
  }
  return true;
}

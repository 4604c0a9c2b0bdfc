/** Time as the outbox sees it: real by default, scripted in tests (or vitest's fake timers). */
export interface Clock {
  now(): number;
  /** Calls `callback` after `ms`; returns what cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

import { describe, expect, it } from 'vitest';
import { Backoff } from '../src/connection/Backoff.js';

describe('Backoff', () => {
  it('grows exponentially up to its cap, with jitter within bounds, and resets', () => {
    const backoff = new Backoff(
      { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0.5 },
      () => 0.5,
    );
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
    const low = new Backoff({ initialMs: 100, jitter: 0.5 }, () => 0);
    const high = new Backoff({ initialMs: 100, jitter: 0.5 }, () => 0.999);
    expect(low.next()).toBe(50);
    expect(high.next()).toBeGreaterThan(140);
  });
});

import { describe, expect, it } from 'vitest';
import { ComfyRelayError } from '../src/errors.js';
import { LimitError, LimitPolicy } from '../src/scheduling/Limits.js';

const T0 = 1_700_000_000_000;
const idle = { inFlight: 0, globalQueued: 0 };

describe('LimitPolicy: generations in progress per user', () => {
  const policy = new LimitPolicy({ perUserConcurrent: 3 });

  it('lets a user below the limit through', () => {
    expect(
      policy.check({ requester: 'ann', inFlight: 2, globalQueued: 0, now: T0 }),
    ).toBeUndefined();
  });

  it('refuses at the limit, in words', () => {
    const error = policy.check({ requester: 'ann', inFlight: 3, globalQueued: 0, now: T0 });
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toBeInstanceOf(ComfyRelayError);
    expect(error?.code).toBe('user-concurrent');
    expect(error?.retryAfterMs).toBeUndefined();
    expect(error?.message).toBe(
      'You have 3 generations in progress, the most allowed; try again when one finishes.',
    );
  });

  it('says “it” for a limit of one, and tells someone above a lowered limit the truth', () => {
    const one = new LimitPolicy({ perUserConcurrent: 1 });
    expect(one.check({ requester: 'ann', inFlight: 1, globalQueued: 0, now: T0 })?.message).toBe(
      'You have 1 generation in progress, the most allowed; try again when it finishes.',
    );
    expect(policy.check({ requester: 'ann', inFlight: 5, globalQueued: 0, now: T0 })?.message).toBe(
      'You have 5 generations in progress, more than the 3 allowed; try again when some finish.',
    );
  });
});

describe('LimitPolicy: generations started per sliding minute', () => {
  it('refuses the 11th start within a minute and says when one more is allowed', () => {
    const policy = new LimitPolicy({ perUserPerMinute: 10 });
    for (let i = 0; i < 10; i++) {
      const now = T0 + i * 2_000; // the first at 0 s, the last at 18 s
      expect(policy.check({ requester: 'ann', ...idle, now })).toBeUndefined();
      policy.record('ann', now);
    }
    const error = policy.check({ requester: 'ann', ...idle, now: T0 + 20_000 });
    expect(error?.code).toBe('user-rate');
    expect(error?.retryAfterMs).toBe(40_000);
    expect(error?.message).toBe(
      'You started 10 generations in the last minute, the most allowed; try again in 40 s.',
    );
  });

  it('slides: each start counts for exactly one minute', () => {
    const policy = new LimitPolicy({ perUserPerMinute: 2 });
    policy.record('ann', T0);
    policy.record('ann', T0 + 30_000);
    const at = (ms: number) => policy.check({ requester: 'ann', ...idle, now: T0 + ms });
    expect(at(59_999)?.retryAfterMs).toBe(1);
    expect(at(59_999)?.message).toBe(
      'You started 2 generations in the last minute, the most allowed; try again in 1 s.',
    );
    expect(at(60_000)).toBeUndefined(); // the first start has left the window
    policy.record('ann', T0 + 60_000);
    expect(at(60_000)?.retryAfterMs).toBe(30_000); // now the start at 30 s is the one to wait for
    expect(at(89_999)?.message).toMatch(/try again in 1 s\.$/);
    expect(at(90_000)).toBeUndefined();
  });

  it('rounds the wait up to whole seconds', () => {
    const policy = new LimitPolicy({ perUserPerMinute: 1 });
    policy.record('ann', T0);
    const error = policy.check({ requester: 'ann', ...idle, now: T0 + 500 });
    expect(error?.retryAfterMs).toBe(59_500);
    expect(error?.message).toBe(
      'You started 1 generation in the last minute, the most allowed; try again in 60 s.',
    );
  });

  it('counts each user on their own', () => {
    const policy = new LimitPolicy({ perUserPerMinute: 1 });
    policy.record('ann', T0);
    expect(policy.check({ requester: 'bob', ...idle, now: T0 })).toBeUndefined();
    expect(policy.check({ requester: 'ann', ...idle, now: T0 })?.code).toBe('user-rate');
  });

  it('waits for enough starts to leave when a lowered limit left someone above it', () => {
    const policy = new LimitPolicy({ perUserPerMinute: 2 });
    for (const s of [0, 10, 20, 30]) policy.record('ann', T0 + s * 1_000);
    const error = policy.check({ requester: 'ann', ...idle, now: T0 + 40_000 });
    expect(error?.retryAfterMs).toBe(40_000); // when the start at 20 s leaves, one of 2 remains
    expect(error?.message).toBe(
      'You started 4 generations in the last minute, more than the 2 allowed; try again in 40 s.',
    );
  });

  it('forgets starts older than a minute: memory stays bounded', () => {
    const policy = new LimitPolicy({ perUserPerMinute: 5 });
    for (let user = 0; user < 5_000; user++) policy.record(`user${user}`, T0 + user);
    expect(policy.trackedRequesters).toBe(5_000);
    policy.record('late', T0 + 60_000 + 2_499);
    expect(policy.trackedRequesters).toBe(5_000 - 2_500 + 1);
    policy.check({ requester: 'anyone', ...idle, now: T0 + 10 * 60_000 });
    expect(policy.trackedRequesters).toBe(0);
  });

  it('records nothing when there is no per-minute limit', () => {
    const policy = new LimitPolicy({ perUserConcurrent: 2 });
    policy.record('ann', T0);
    expect(policy.trackedRequesters).toBe(0);
  });
});

describe('LimitPolicy: the whole queue', () => {
  const policy = new LimitPolicy({ globalQueued: 500 });

  it('refuses when the queue is full', () => {
    expect(
      policy.check({ requester: 'ann', inFlight: 0, globalQueued: 499, now: T0 }),
    ).toBeUndefined();
    const error = policy.check({ requester: 'ann', inFlight: 0, globalQueued: 500, now: T0 });
    expect(error?.code).toBe('global-queue');
    expect(error?.retryAfterMs).toBeUndefined();
    expect(error?.message).toBe('The queue is full (500 waiting); try again in a moment.');
  });

  it('says how many are really waiting', () => {
    expect(
      policy.check({ requester: 'ann', inFlight: 0, globalQueued: 512, now: T0 })?.message,
    ).toBe('The queue is full (512 waiting); try again in a moment.');
  });
});

describe('LimitPolicy: together', () => {
  const options = {
    perUserConcurrent: 3,
    perUserPerMinute: 10,
    globalQueued: 500,
    exempt: (requester: string) => requester === 'admin',
  };

  it('reports the user’s own limit before the global one', () => {
    const policy = new LimitPolicy(options);
    for (let i = 0; i < 10; i++) policy.record('ann', T0);
    const full = { globalQueued: 500, now: T0 };
    expect(policy.check({ requester: 'ann', inFlight: 3, ...full })?.code).toBe('user-concurrent');
    expect(policy.check({ requester: 'ann', inFlight: 1, ...full })?.code).toBe('user-rate');
    expect(policy.check({ requester: 'bob', inFlight: 1, ...full })?.code).toBe('global-queue');
  });

  it('applies no limit to exempt requesters (admins), nor remembers their starts', () => {
    const policy = new LimitPolicy(options);
    for (let i = 0; i < 50; i++) policy.record('admin', T0);
    expect(policy.trackedRequesters).toBe(0);
    expect(
      policy.check({ requester: 'admin', inFlight: 99, globalQueued: 9_999, now: T0 }),
    ).toBeUndefined();
  });

  it('applies nothing when configured with nothing', () => {
    const policy = new LimitPolicy();
    policy.record('ann', T0);
    expect(
      policy.check({ requester: 'ann', inFlight: 1e6, globalQueued: 1e6, now: T0 }),
    ).toBeUndefined();
  });

  it('refuses a limit that is not a whole number of at least 1', () => {
    expect(() => new LimitPolicy({ perUserConcurrent: 0 })).toThrow(RangeError);
    expect(() => new LimitPolicy({ perUserPerMinute: 2.5 })).toThrow(/perUserPerMinute/);
    expect(() => new LimitPolicy({ globalQueued: Number.NaN })).toThrow(/globalQueued/);
  });
});

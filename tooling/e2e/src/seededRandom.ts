/** A seeded pseudo-random source: the same seed gives the same sequence of decisions. */
export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** A seed for a run: `E2E_CHAOS_SEED` when set (to replay a run), else a fresh one. */
export function seedFromEnv(variable = 'E2E_CHAOS_SEED'): number {
  const given = process.env[variable];
  if (given !== undefined && given.trim() !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff)
      throw new RangeError(`${variable} must be an integer in [0, 2^32), not "${given}"`);
    return seed;
  }
  return Math.floor(Math.random() * 0xffff_ffff);
}

/**
 * An independent stream derived from `seed` for one purpose (`stream` 1, 2 …): decisions of one
 * kind (e.g. one server's injected 500s) then do not shift when another kind draws more or less
 * often, which timing decides.
 */
export function seededStream(seed: number, stream: number): SeededRandom {
  const derived = seededRandom((seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0);
  return { ...derived, seed };
}

/** mulberry32: small, fast, good enough to spread faults; not for anything secret. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    seed,
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
  };
}

interface Entry {
  readonly key: string;
  readonly at: number;
}

/**
 * When each key did something within the last `windowMs` (a sliding-window log, as rate limiters
 * keep). Memory holds only entries still in the window: each call first drops what has expired,
 * oldest first, and forgets keys left with none. Amortised O(1) per entry.
 */
export class SlidingWindowLog {
  readonly #byKey = new Map<string, number[]>();
  /** Every entry in recording order; `#head` is the oldest still kept. */
  #all: Entry[] = [];
  #head = 0;

  constructor(readonly windowMs: number) {}

  /** Number of keys with an entry in the window (as of the last call). */
  get keys(): number {
    return this.#byKey.size;
  }

  record(key: string, now: number): void {
    this.#expire(now);
    this.#all.push({ key, at: now });
    const times = this.#byKey.get(key);
    if (times) times.push(now);
    else this.#byKey.set(key, [now]);
  }

  /** The times of `key`'s entries within the window ending at `now`, oldest first. */
  timesOf(key: string, now: number): readonly number[] {
    this.#expire(now);
    const times = this.#byKey.get(key) ?? [];
    // A clock that stepped back can leave an expired time behind a newer one: filter, don't trust order.
    return times.filter((at) => at > now - this.windowMs);
  }

  #expire(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.#head < this.#all.length) {
      const oldest = this.#all[this.#head];
      if (!oldest || oldest.at > cutoff) break;
      this.#head++;
      // Per key, entries are in recording order too: this one is the key's first.
      const times = this.#byKey.get(oldest.key);
      times?.shift();
      if (times?.length === 0) this.#byKey.delete(oldest.key);
    }
    if (this.#head === this.#all.length) {
      this.#all = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#all.length) {
      this.#all = this.#all.slice(this.#head);
      this.#head = 0;
    }
  }
}

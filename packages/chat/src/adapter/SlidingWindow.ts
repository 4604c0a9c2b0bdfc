import type { Rate } from './ChatAdapter.js';

/** One call counted in a window. */
export interface WindowEntry {
  at: number;
  /** Sent, not answered yet: the platform may count it at any moment until then. */
  open: boolean;
}

/**
 * At most `rate.count` calls in any window of `rate.perMs`: a call at `t` counts against every
 * call before `t + perMs`. A sliding window, not a token bucket: a bucket lets a burst at the
 * end of one window meet a refilled burst at the start of the next, which platforms refuse.
 *
 * A platform counts a call when it receives it, somewhere between sending and the answer, so
 * a call counts as happening now while it is open and as answered once it is closed: never
 * earlier than the platform saw it.
 */
export class SlidingWindow {
  private entries: WindowEntry[] = [];

  constructor(readonly rate: Rate) {}

  /**
   * How long until one more call fits (0: now). `reserve` slots are kept free for others (a
   * job's final): the call must fit in `count - reserve`, unless that leaves it no slot at all.
   */
  waitMs(now: number, reserve = 0): number {
    this.prune(now);
    const room = this.rate.count > reserve ? this.rate.count - reserve : this.rate.count;
    if (this.entries.length < room) return 0;
    const latestFirst = this.entries
      .map((entry) => (entry.open ? now : entry.at))
      .sort((a, b) => b - a);
    return Math.max(1, latestFirst[room - 1]! + this.rate.perMs - now);
  }

  record(now: number): WindowEntry {
    const entry = { at: now, open: true };
    this.entries.push(entry);
    return entry;
  }

  /** The call was answered at `now`. */
  close(entry: WindowEntry, now: number): void {
    entry.at = Math.max(entry.at, now);
    entry.open = false;
  }

  /** True when no call in it counts any more: it can be forgotten. */
  idle(now: number): boolean {
    this.prune(now);
    return this.entries.length === 0;
  }

  private prune(now: number): void {
    if (this.entries.some((entry) => !entry.open && entry.at + this.rate.perMs <= now))
      this.entries = this.entries.filter((entry) => entry.open || entry.at + this.rate.perMs > now);
  }
}

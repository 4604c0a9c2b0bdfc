/**
 * One unref'd timer for all in-flight sends instead of one setTimeout per send. It is armed
 * for the earliest deadline; with a uniform timeout, later sends never re-arm it, so the
 * per-send cost is a Map set and delete.
 */
export class DeadlineSweeper<T> {
  readonly #deadlines = new Map<T, number>();
  readonly #onExpired: (item: T) => void;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;

  constructor(onExpired: (item: T) => void) {
    this.#onExpired = onExpired;
  }

  /** `deadline` is on the performance.now() clock. */
  add(item: T, deadline: number): void {
    this.#deadlines.set(item, deadline);
    if (deadline < this.#timerAt) this.#arm(deadline);
  }

  delete(item: T): void {
    this.#deadlines.delete(item);
  }

  close(): void {
    this.#deadlines.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(this.#sweep, Math.max(1, Math.ceil(at - performance.now())));
    this.#timer.unref();
  }

  readonly #sweep = (): void => {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    const expired: T[] = [];
    let next = Infinity;
    for (const [item, deadline] of this.#deadlines) {
      if (deadline <= now) expired.push(item);
      else if (deadline < next) next = deadline;
    }
    for (const item of expired) this.#deadlines.delete(item);
    if (next < this.#timerAt) this.#arm(next);
    for (const item of expired) this.#onExpired(item);
  };
}

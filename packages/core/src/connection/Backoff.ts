export interface BackoffOptions {
  /** First delay, ms (default 250). */
  initialMs?: number;
  /** Ceiling, ms (default 15 000). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Share of each delay that is random, 0..1 (default 0.3), so many bots don't reconnect in step. */
  jitter?: number;
}

/** Capped exponential backoff with jitter. */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 15_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.3;
  }

  get attempts(): number {
    return this.attempt;
  }

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt += 1;
    const spread = base * this.jitter;
    return Math.max(0, Math.round(base - spread + this.random() * spread * 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}

export interface CircuitBreakerOptions {
  /** Failures in a row that take a backend out (default 3). */
  threshold?: number;
  /** How long it stays out before one probe is let through (default 15 s, doubling to 5 min). */
  cooldownMs?: number;
  maxCooldownMs?: number;
  now?: () => number;
}

type CircuitState = 'closed' | 'open' | 'probing';

/**
 * Takes a backend that keeps failing out of the rotation, then probes it back in: after
 * `threshold` failures in a row it is out for a cool-down; then one job is let through; if that
 * one fails too it is out for twice as long, if it succeeds the backend is back.
 */
export class CircuitBreaker {
  private readonly threshold: number;
  private readonly baseCooldownMs: number;
  private readonly maxCooldownMs: number;
  private readonly now: () => number;
  private state: CircuitState = 'closed';
  private failures = 0;
  private cooldownMs: number;
  private openUntil = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.threshold ?? 3;
    this.baseCooldownMs = options.cooldownMs ?? 15_000;
    this.maxCooldownMs = options.maxCooldownMs ?? 5 * 60_000;
    this.cooldownMs = this.baseCooldownMs;
    this.now = options.now ?? Date.now;
  }

  /** Whether a job may go to it now (an open circuit lets one probe through after its cool-down). */
  get allows(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'probing') return false;
    return this.now() >= this.openUntil;
  }

  /** Out of the rotation now. */
  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  /** A job is going to it (the probe, when the circuit was open). */
  attempt(): void {
    if (this.state === 'open' && this.now() >= this.openUntil) this.state = 'probing';
  }

  succeeded(): void {
    this.state = 'closed';
    this.failures = 0;
    this.cooldownMs = this.baseCooldownMs;
  }

  failed(): void {
    if (this.state === 'probing') {
      this.cooldownMs = Math.min(this.cooldownMs * 2, this.maxCooldownMs);
      this.open();
      return;
    }
    this.failures += 1;
    if (this.failures >= this.threshold) this.open();
  }

  /** When it may be probed again (ms since the epoch), while open. */
  get retryAt(): number | undefined {
    return this.state === 'closed' ? undefined : this.openUntil;
  }

  private open(): void {
    this.state = 'open';
    this.openUntil = this.now() + this.cooldownMs;
  }
}

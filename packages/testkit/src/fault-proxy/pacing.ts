import type { SlowOptions } from './types.js';

/** The proxy's current slow-down, shared by every pipe and read live. */
export class Pacing {
  delayMs = 0;
  bytesPerSecond = 0;

  get active(): boolean {
    return this.delayMs > 0 || this.bytesPerSecond > 0;
  }

  set(options: SlowOptions): void {
    this.delayMs = requireNonNegative('delayMs', options.delayMs ?? 0);
    this.bytesPerSecond = requireNonNegative('bytesPerSecond', options.bytesPerSecond ?? 0);
  }

  reset(): void {
    this.delayMs = 0;
    this.bytesPerSecond = 0;
  }
}

export function requireNonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

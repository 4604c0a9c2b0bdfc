/**
 * The observed speed of sampling, from consecutive `progress` messages of the same node. The time
 * before a node's first step is left out: it holds model loading (Wan swaps models between its
 * two samplers), which says nothing about the steps still to come.
 */
export class StepRate {
  private readonly intervals: { steps: number; ms: number }[] = [];
  private last: { node: string; value: number; at: number } | undefined;

  constructor(private readonly window = 20) {}

  record(node: string, value: number, now: number): void {
    const last = this.last;
    if (last && last.node === node && value > last.value && now >= last.at) {
      this.intervals.push({ steps: value - last.value, ms: now - last.at });
      if (this.intervals.length > this.window) this.intervals.shift();
    }
    this.last = { node, value, at: now };
  }

  /** A new node starts: its first step is not compared with another node's last. */
  reset(): void {
    this.last = undefined;
  }

  /** Milliseconds per step, once at least one interval was seen. */
  msPerStep(): number | undefined {
    let steps = 0;
    let ms = 0;
    for (const interval of this.intervals) {
      steps += interval.steps;
      ms += interval.ms;
    }
    return steps > 0 ? ms / steps : undefined;
  }
}

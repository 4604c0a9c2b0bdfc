interface PendingStep {
  started: number;
  nodeDelaySeconds: number | undefined;
  timer: NodeJS.Timeout;
  resolve: () => void;
}

/**
 * Decides how long a sampler step takes. An explicit simulator delay wins over a node's own
 * `delay` input; changing it reschedules steps already waiting, so a test can speed up a run.
 */
export class StepClock {
  private readonly pending = new Set<PendingStep>();

  constructor(
    private explicitMs: number | undefined,
    private readonly defaultMs: number,
  ) {}

  set(ms: number): void {
    this.explicitMs = ms;
    for (const step of this.pending) {
      clearTimeout(step.timer);
      const remaining = Math.max(
        0,
        this.delayFor(step.nodeDelaySeconds) - (Date.now() - step.started),
      );
      step.timer = setTimeout(step.resolve, remaining);
    }
  }

  delayFor(nodeDelaySeconds: number | undefined): number {
    if (this.explicitMs !== undefined) return this.explicitMs;
    if (nodeDelaySeconds !== undefined) return nodeDelaySeconds * 1000;
    return this.defaultMs;
  }

  waitStep(nodeDelaySeconds: number | undefined, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const step: PendingStep = {
        started: Date.now(),
        nodeDelaySeconds,
        timer: setTimeout(() => finish(), this.delayFor(nodeDelaySeconds)),
        resolve: () => finish(),
      };
      const onAbort = (): void => {
        clearTimeout(step.timer);
        this.pending.delete(step);
        reject(signal.reason);
      };
      const finish = (): void => {
        this.pending.delete(step);
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.pending.add(step);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

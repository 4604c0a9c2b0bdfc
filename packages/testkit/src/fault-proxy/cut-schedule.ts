export interface CutScheduleHooks {
  /** Cuts every open WebSocket; returns how many were cut. */
  cutNow(): number;
  /** Calls back once, when the next WebSocket connection is seen; returns an unsubscribe. */
  onNextWebSocket(callback: () => void): () => void;
  done(): void;
}

/**
 * Cuts `times` times, each `afterMs` after the previous cut. A due time that finds no WebSocket
 * open does not count: the schedule waits for the next one and cuts it `afterMs` after it opens.
 */
export class CutSchedule {
  private remaining: number;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly afterMs: number,
    times: number,
    private readonly hooks: CutScheduleHooks,
  ) {
    this.remaining = times;
  }

  start(): void {
    this.timer = setTimeout(() => this.due(), this.afterMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private due(): void {
    this.timer = undefined;
    if (this.hooks.cutNow() === 0) {
      this.unsubscribe = this.hooks.onNextWebSocket(() => {
        this.unsubscribe = undefined;
        this.start();
      });
      return;
    }
    this.remaining -= 1;
    if (this.remaining > 0) this.start();
    else this.hooks.done();
  }
}

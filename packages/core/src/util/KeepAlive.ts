/** Longest delay a Node timer accepts. */
const FOREVER_MS = 2 ** 31 - 1;

/**
 * Keeps the Node process alive while the relay has work in flight. The timers the relay waits on
 * are unref'd so that an idle relay never holds a process open; but while a socket is down the
 * reconnect timer may be the only thing left, and a process whose remaining work is awaiting its
 * generations (a CLI run) would then simply end ("unsettled top-level await", exit code 13). So
 * one ref'd handle is held for as long as anything is held, and none otherwise.
 */
export class KeepAlive {
  private holders = 0;
  private handle: NodeJS.Timeout | undefined;

  get held(): boolean {
    return this.holders > 0;
  }

  /** Hold the process open until the returned function is called (calling it twice is harmless). */
  hold(): () => void {
    this.acquire();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /**
   * Hold the process open until a matching {@link release}: for holders that track themselves
   * whether they hold (a job: one closure less per generation).
   */
  acquire(): void {
    this.holders += 1;
    this.handle ??= setInterval(() => undefined, FOREVER_MS);
  }

  /** Give back one {@link acquire}: call it once per acquire, never more. */
  release(): void {
    if (this.holders === 0) return;
    this.holders -= 1;
    if (this.holders === 0 && this.handle) {
      clearInterval(this.handle);
      this.handle = undefined;
    }
  }

  /** Hold the process open until `work` settles. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    const release = this.hold();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

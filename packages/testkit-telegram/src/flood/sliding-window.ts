/** At most `max` events in any `windowMs`. Times are performance.now() ms. */
export class SlidingWindow {
  private events: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until one more event fits, 0 when it fits now. */
  waitSeconds(now: number): number {
    this.events = this.events.filter((time) => time > now - this.windowMs);
    if (this.events.length < this.max) return 0;
    return (this.events[0]! + this.windowMs - now) / 1000;
  }

  add(now: number): void {
    this.events.push(now);
  }
}

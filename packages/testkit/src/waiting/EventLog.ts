/**
 * Every event a test saw, in order, and a way to wait for one (past or future) that matches:
 * subscribe once, assert on the log, never race a subscription against the event.
 */
export class EventLog<E> {
  readonly events: E[] = [];
  private waiters: { predicate: (event: E) => boolean; resolve: (event: E) => void }[] = [];

  readonly push = (event: E): void => {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (!waiter.predicate(event)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  };

  /** The first event, already seen or still to come, that matches. */
  next(predicate: (event: E) => boolean): Promise<E> {
    const seen = this.events.find(predicate);
    return seen
      ? Promise.resolve(seen)
      : new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }
}

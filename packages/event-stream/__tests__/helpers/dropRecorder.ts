/**
 * Records drops reported by an `onDrop(who, reason)` callback (the Broadcaster's or the event
 * stream's); next() resolves at the next one.
 */
export function dropRecorder<W = unknown, R = unknown>(): {
  onDrop: (who: W, reason: R) => void;
  drops: R[];
  who: W[];
  next: () => Promise<R>;
  untilCount: (count: number) => Promise<void>;
} {
  const drops: R[] = [];
  const who: W[] = [];
  let waiters: (() => void)[] = [];
  const next = (): Promise<R> =>
    new Promise((resolve) => {
      const seen = drops.length;
      waiters.push(() => resolve(drops[seen] as R));
    });
  return {
    drops,
    who,
    onDrop: (dropped, reason) => {
      who.push(dropped);
      drops.push(reason);
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    },
    next,
    untilCount: async (count) => {
      while (drops.length < count) await next();
    },
  };
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Broadcaster } from '../src/broadcast/Broadcaster.js';
import type { BroadcastSink } from '../src/broadcast/BroadcastSink.js';
import type { DropReason } from '../src/broadcast/DropReason.js';
import type { Subscription } from '../src/broadcast/Subscription.js';

/** A sink that records what it was given and lets a test await a count or its close(). */
class Recorder<E> implements BroadcastSink<E> {
  readonly received: E[] = [];
  closeReasons: DropReason[] = [];
  readonly closed: Promise<DropReason>;
  #resolveClosed!: (reason: DropReason) => void;
  #countWaiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly deliver: (event: E) => void | Promise<void> = () => undefined) {
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  send(event: E): void | Promise<void> {
    this.received.push(event);
    this.#countWaiters = this.#countWaiters.filter((waiter) => {
      if (this.received.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
    return this.deliver(event);
  }

  close(reason: DropReason): void {
    this.closeReasons.push(reason);
    this.#resolveClosed(reason);
  }

  /** Resolves once `count` events were handed to this sink. */
  until(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#countWaiters.push({ count, resolve }));
  }
}

/** A send that settles only when the test says so. */
class Gate {
  readonly #pending: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  readonly hang = (): Promise<void> =>
    new Promise((resolve, reject) => this.#pending.push({ resolve, reject }));
  get waiting(): number {
    return this.#pending.length;
  }
  release(): void {
    this.#pending.shift()?.resolve();
  }
  fail(error: unknown): void {
    this.#pending.shift()?.reject(error);
  }
}

const never = (): Promise<void> => new Promise(() => undefined);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

const broadcasters: Broadcaster<unknown>[] = [];
function broadcaster<E>(options?: ConstructorParameters<typeof Broadcaster<E>>[0]): Broadcaster<E> {
  const b = new Broadcaster<E>(options);
  broadcasters.push(b as Broadcaster<unknown>);
  return b;
}
afterEach(() => {
  for (const b of broadcasters.splice(0)) b.close();
  vi.restoreAllMocks();
});

describe('Broadcaster fan-out', () => {
  it('delivers every event to every subscriber in publish order, sync and async sinks alike', async () => {
    const b = broadcaster<number>();
    const sync = new Recorder<number>();
    const async = new Recorder<number>(() => Promise.resolve());
    const gated = new Gate();
    const slow = new Recorder<number>(gated.hang);
    const subs = [sync, async, slow].map((sink) => b.subscribe(sink));

    for (const n of range(100)) b.publish(n);
    expect(sync.received).toEqual([]); // publish only enqueues
    await sync.until(100);
    await async.until(100);
    for (let i = 0; i < 100; i++) {
      await slow.until(i + 1);
      gated.release();
    }
    await Promise.all(subs.map((s) => s.drained()));

    for (const sink of [sync, async, slow]) expect(sink.received).toEqual(range(100));
    expect(subs.map((s) => s.closed)).toEqual([false, false, false]);
    expect(b.size).toBe(3);
  });

  it('keeps one send in flight per subscriber', async () => {
    const b = broadcaster<number>();
    const gate = new Gate();
    const sink = new Recorder<number>(gate.hang);
    const sub = b.subscribe(sink);
    for (const n of range(5)) b.publish(n);
    await sink.until(1);
    expect(gate.waiting).toBe(1);
    expect(sub.pending).toBe(5);
    gate.release();
    await sink.until(2);
    expect(gate.waiting).toBe(1);
    expect(sink.received).toEqual([0, 1]);
  });

  it('applies a subscription filter', async () => {
    const b = broadcaster<number>();
    const evens = new Recorder<number>();
    const all = new Recorder<number>();
    const evenSub = b.subscribe(evens, { filter: (n) => n % 2 === 0 });
    b.subscribe(all);
    for (const n of range(10)) b.publish(n);
    await all.until(10);
    await evenSub.drained();
    expect(evens.received).toEqual([0, 2, 4, 6, 8]);
  });

  it('drained() waits for the send in flight, not just for the queue to empty', async () => {
    const b = broadcaster<number>();
    const gate = new Gate();
    const sink = new Recorder<number>(gate.hang);
    const sub = b.subscribe(sink);
    b.publish(1);
    await sink.until(1);
    let drained = false;
    const done = sub.drained().then(() => (drained = true));
    b.publish(2); // published after drained() was called: not waited for
    await Promise.resolve();
    expect(drained).toBe(false);
    gate.release();
    await done;
    expect(sub.pending).toBe(1);
  });

  it("the broadcaster's drained() waits until every subscriber was handed what was published before it, or was dropped", async () => {
    const b = broadcaster<number>({ sendTimeoutMs: 50 });
    const fast = new Recorder<number>();
    const gate = new Gate();
    const slow = new Recorder<number>(gate.hang);
    const stuck = new Recorder<number>(never);
    b.subscribe(fast);
    b.subscribe(slow, { sendTimeoutMs: Infinity });
    const stuckSub = b.subscribe(stuck);
    b.publish(1);
    b.publish(2);
    let drained = false;
    const done = b.drained().then(() => (drained = true));
    b.publish(3); // published after drained() was called: not waited for
    await slow.until(1);
    gate.release();
    await slow.until(2);
    await stuck.closed; // the stuck one is dropped by its send timeout: it holds no one
    expect(drained).toBe(false); // the slow one still holds 2
    gate.release();
    await done;
    expect(fast.received).toContain(2);
    expect(slow.received.slice(0, 2)).toEqual([1, 2]);
    expect(stuckSub.closed).toBe(true);
    const rest = b.drained(); // 3, in flight to the slow one
    await slow.until(3);
    gate.release();
    await rest;
    expect(slow.received).toEqual([1, 2, 3]);
  });
});

describe('Broadcaster coalescing', () => {
  type Ev = { kind: 'progress'; job: string; value: number } | { kind: 'log'; n: number };
  const coalesceKey = (e: Ev): string | undefined =>
    e.kind === 'progress' ? `progress:${e.job}` : undefined;

  it('a slow sink gets the latest progress, in order, and every non-coalesced event', async () => {
    const b = broadcaster<Ev>({ coalesceKey, queueLimit: 8 });
    const gate = new Gate();
    const slow = new Recorder<Ev>(gate.hang);
    const fast = new Recorder<Ev>();
    const slowSub = b.subscribe(slow);
    const fastSub = b.subscribe(fast);

    const published: Ev[] = [];
    // Each event is handed to the fast sink before the next is published, so only the slow
    // one has anything queued to coalesce.
    const publish = async (e: Ev): Promise<void> => {
      published.push(e);
      b.publish(e);
      await fastSub.drained();
    };
    await publish({ kind: 'progress', job: 'a', value: 0 });
    await slow.until(1); // progress 0 is now in flight; everything below queues behind it
    for (let value = 1; value <= 100; value++) {
      await publish({ kind: 'progress', job: 'a', value });
      await publish({ kind: 'progress', job: 'b', value });
      if (value % 25 === 0) await publish({ kind: 'log', n: value });
    }
    // 200 progress + 4 logs against a queue of 8: without coalescing this overflows.
    expect(slowSub.closed).toBe(false);
    while (slowSub.pending > 0) {
      gate.release();
      await new Promise((resolve) => setImmediate(resolve));
    }

    await fast.until(published.length);
    expect(fast.received).toEqual(published);

    const logs = slow.received
      .filter((e) => e.kind === 'log')
      .map((e) => (e.kind === 'log' ? e.n : -1));
    expect(logs).toEqual([25, 50, 75, 100]);
    const progressOf = (job: string): number[] =>
      slow.received.flatMap((e) => (e.kind === 'progress' && e.job === job ? [e.value] : []));
    for (const job of ['a', 'b']) {
      const values = progressOf(job);
      expect(values.at(-1)).toBe(100); // the latest is never lost
      expect(values.length).toBeLessThan(10); // superseded ones were skipped
      expect([...values].sort((x, y) => x - y)).toEqual(values);
    }
    // What the slow sink saw is a subsequence of the publish order.
    let cursor = 0;
    for (const e of slow.received) {
      cursor = published.indexOf(e, cursor);
      expect(cursor).toBeGreaterThanOrEqual(0);
    }
  });

  it('an event already in flight is not replaced', async () => {
    const b = broadcaster<Ev>({ coalesceKey });
    const gate = new Gate();
    const sink = new Recorder<Ev>(gate.hang);
    const sub = b.subscribe(sink);
    b.publish({ kind: 'progress', job: 'a', value: 1 });
    await sink.until(1);
    b.publish({ kind: 'progress', job: 'a', value: 2 });
    gate.release();
    await sink.until(2);
    gate.release();
    await sub.drained();
    expect(sink.received.map((e) => (e.kind === 'progress' ? e.value : -1))).toEqual([1, 2]);
  });
});

describe('Broadcaster drops', () => {
  it('drops a sink whose send never settles, while a fast sink gets every event meanwhile', async () => {
    const sendTimeoutMs = 500;
    const drops: [Subscription, DropReason][] = [];
    const b = broadcaster<number>({ sendTimeoutMs, onDrop: (s, r) => drops.push([s, r]) });
    // Subscribed first: a broadcaster awaiting each send in turn would starve the fast sink.
    const stuck = new Recorder<number>(never);
    const stuckSub = b.subscribe(stuck, { name: 'stuck dashboard' });
    const fast = new Recorder<number>(() => Promise.resolve());
    const fastSub = b.subscribe(fast);

    const N = 200;
    for (const n of range(N)) b.publish(n);
    await fast.until(N);
    // All N arrived while the stuck send was still hanging (it has not timed out yet).
    expect(stuckSub.closed).toBe(false);
    expect(stuck.received).toEqual([0]);

    const reason = await stuck.closed;
    expect(reason.code).toBe('send-timeout');
    expect(reason.message).toContain('stuck dashboard');
    expect(stuck.closeReasons).toHaveLength(1);
    expect(drops).toEqual([[stuckSub, reason]]);
    expect(stuckSub.closed).toBe(true);
    expect(stuckSub.pending).toBe(0); // its backlog was freed
    expect(b.size).toBe(1);

    b.publish(N);
    await fast.until(N + 1);
    expect(fast.received).toEqual(range(N + 1));
    expect(stuck.received).toEqual([0]);
    expect(fastSub.closed).toBe(false);
  });

  it('evicts many stuck sinks without losing an event for the fast ones', async () => {
    const b = broadcaster<number>({ sendTimeoutMs: 300, queueLimit: 1_000_000 });
    const stuck = range(30).map(() => new Recorder<number>(never));
    const fast = range(60).map(() => new Recorder<number>(() => Promise.resolve()));
    stuck.forEach((s) => b.subscribe(s));
    fast.forEach((s) => b.subscribe(s));
    let n = 0;
    // Keep publishing until every stuck sink has been evicted.
    const allEvicted = Promise.all(stuck.map((s) => s.closed));
    let evicted = false;
    void allEvicted.then(() => (evicted = true));
    while (!evicted) {
      b.publish(n++);
      await Promise.all(fast.map((s) => s.until(n)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    b.publish(n++);
    await Promise.all(fast.map((s) => s.until(n)));
    for (const s of fast) expect(s.received).toEqual(range(n));
    for (const s of stuck) expect(s.closeReasons.map((r) => r.code)).toEqual(['send-timeout']);
    expect(b.size).toBe(60);
  });

  it('drops a subscriber whose queue overflows and frees its queue at once', async () => {
    const b = broadcaster<number>({ sendTimeoutMs: 60_000 });
    const stuck = new Recorder<number>(never);
    const sub = b.subscribe(stuck, { queueLimit: 4 });
    const fast = new Recorder<number>();
    b.subscribe(fast);
    b.publish(0);
    await stuck.until(1); // 0 in flight
    for (const n of [1, 2, 3, 4]) b.publish(n);
    expect(sub.closed).toBe(false);
    expect(sub.pending).toBe(5);
    b.publish(5); // the fifth queued event
    expect(sub.closed).toBe(true);
    expect(sub.pending).toBe(0);
    expect(stuck.closeReasons.map((r) => r.code)).toEqual(['queue-overflow']);
    await fast.until(6);
    expect(fast.received).toEqual(range(6));
    expect(b.size).toBe(1);
  });

  it('drops a sink that throws or rejects, and publish never throws', async () => {
    const b = broadcaster<number>();
    const throwing = new Recorder<number>(() => {
      throw new Error('boom');
    });
    const gate = new Gate();
    const rejecting = new Recorder<number>(gate.hang);
    const fast = new Recorder<number>();
    const throwingSub = b.subscribe(throwing);
    const rejectingSub = b.subscribe(rejecting);
    b.subscribe(fast);

    expect(() => b.publish(1)).not.toThrow();
    const thrown = await throwing.closed;
    expect(thrown.code).toBe('send-failed');
    expect(thrown.message).toContain('boom');
    expect((thrown.cause as Error).message).toBe('boom');
    expect(throwingSub.closed).toBe(true);

    await rejecting.until(1);
    gate.fail(new Error('socket gone'));
    const rejected = await rejecting.closed;
    expect(rejected.code).toBe('send-failed');
    expect(rejectingSub.closed).toBe(true);

    b.publish(2);
    await fast.until(2);
    expect(fast.received).toEqual([1, 2]);
    expect(throwing.received).toEqual([1]);
    expect(b.size).toBe(1);
  });

  it('drops a subscriber whose filter throws', async () => {
    const b = broadcaster<number>();
    const sink = new Recorder<number>();
    b.subscribe(sink, {
      filter: () => {
        throw new Error('bad filter');
      },
    });
    expect(() => b.publish(1)).not.toThrow();
    expect((await sink.closed).code).toBe('send-failed');
  });

  it('unsubscribe during a send: close() is called, the late settle is ignored, nothing more is sent', async () => {
    const drops: DropReason[] = [];
    const b = broadcaster<number>({ onDrop: (_, r) => drops.push(r) });
    const gate = new Gate();
    const sink = new Recorder<number>(gate.hang);
    const sub = b.subscribe(sink);
    for (const n of range(3)) b.publish(n);
    await sink.until(1);
    const drained = sub.drained();
    sub.unsubscribe();
    await drained;
    expect(sub.closed).toBe(true);
    expect(sub.pending).toBe(0);
    expect(sink.closeReasons.map((r) => r.code)).toEqual(['unsubscribed']);
    expect(drops.map((r) => r.code)).toEqual(['unsubscribed']);
    gate.release();
    b.publish(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.received).toEqual([0]);
    sub.unsubscribe(); // idempotent
    expect(sink.closeReasons).toHaveLength(1);
    expect(b.size).toBe(0);
  });

  it('a sink may unsubscribe itself from inside send()', async () => {
    const b = broadcaster<number>();
    const self: { sub?: Subscription } = {};
    const sink = new Recorder<number>((n) => {
      if (n === 1) self.sub?.unsubscribe();
    });
    const sub = b.subscribe(sink);
    self.sub = sub;
    const other = new Recorder<number>();
    b.subscribe(other);
    for (const n of range(4)) b.publish(n);
    await other.until(4);
    expect(sink.received).toEqual([0, 1]);
    expect(sub.closed).toBe(true);
  });

  it('close() drops every subscriber with broadcaster-closed', async () => {
    const b = broadcaster<number>();
    const gate = new Gate();
    const sinks = [
      new Recorder<number>(gate.hang),
      new Recorder<number>(),
      new Recorder<number>(never),
    ];
    const subs = sinks.map((s) => b.subscribe(s));
    b.publish(1);
    await sinks[0]!.until(1);
    b.close();
    expect(b.size).toBe(0);
    for (const sink of sinks)
      expect(sink.closeReasons.map((r) => r.code)).toEqual(['broadcaster-closed']);
    for (const sub of subs) {
      expect(sub.closed).toBe(true);
      await sub.drained();
    }
    b.publish(2); // no-op
    const late = new Recorder<number>();
    const lateSub = b.subscribe(late);
    expect(lateSub.closed).toBe(true);
    expect(late.closeReasons.map((r) => r.code)).toEqual(['broadcaster-closed']);
  });

  it('a publish from inside a drop callback keeps every subscriber in publish order', async () => {
    const b = broadcaster<string>({ queueLimit: 1, onDrop: (s) => b.publish(`dropped ${s.name}`) });
    const first = new Recorder<string>();
    const stuck = new Recorder<string>(never);
    const last = new Recorder<string>();
    b.subscribe(first, { queueLimit: 10 });
    b.subscribe(stuck, { name: 'stuck', sendTimeoutMs: 60_000 });
    b.subscribe(last, { queueLimit: 10 });
    b.publish('a');
    await last.until(1);
    b.publish('b'); // queued behind the hung 'a'
    b.publish('c'); // overflows 'stuck' in the middle of the fan-out
    await last.until(4);
    expect(first.received).toEqual(['a', 'b', 'c', 'dropped stuck']);
    expect(last.received).toEqual(['a', 'b', 'c', 'dropped stuck']);
  });

  it('does not start a timer per send', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const b = broadcaster<number>();
    const sinks = range(10).map(() => new Recorder<number>(() => Promise.resolve()));
    sinks.forEach((s) => b.subscribe(s));
    for (const n of range(200)) b.publish(n);
    await Promise.all(sinks.map((s) => s.until(200)));
    // 2,000 async sends; one shared deadline timer, re-armed only when it fires.
    expect(spy.mock.calls.length).toBeLessThanOrEqual(2);
  });
});

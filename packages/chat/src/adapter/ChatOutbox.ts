import { BudgetLedger, type CallScope } from './BudgetLedger.js';
import type { ChatAdapter, ChatTarget, MessageRef, OutgoingMessage } from './ChatAdapter.js';
import { systemClock, type Clock } from './Clock.js';
import { isRateLimited, type RateLimitScope } from './RateLimitedError.js';

/**
 * Finals (a result, a failure) go before everything, progress after everything; progress never
 * takes the last slot of a budget window, so a final finds one free.
 */
export type OutboxPriority = 'final' | 'normal' | 'progress';

const RANK: Record<OutboxPriority, number> = { final: 0, normal: 1, progress: 2 };

export interface OutboxRequest<T> {
  /** Calls of one lane run one at a time, in the order submitted (one job's message). */
  lane: string;
  /** A newer pending request with the same key replaces this one and keeps its place in line. */
  coalesceKey?: string;
  priority?: OutboxPriority;
  /** The budgets it counts against, read when it is about to start. */
  scope(): CallScope;
  /** Read just before it starts: true when there is nothing to do any more. */
  skip?(): boolean;
  /** The platform call. It may read the latest state: it runs as late as possible. */
  run(): Promise<T>;
  /**
   * Idempotent (an edit): when an older call of its lane that timed out lands after it, it is
   * run again, so the message ends showing the latest content.
   */
  reapply?: boolean;
}

export type OutboxOutcome<T> =
  | { status: 'done'; value: T }
  | { status: 'superseded' }
  | { status: 'skipped' }
  | { status: 'failed'; error: unknown }
  | { status: 'closed' };

/** A 429 the outbox received (and waits out): what an operator's metrics count. */
export interface RateLimitNotice {
  /** The adapter's platform (`discord`, `telegram` …). */
  platform: string;
  scope: RateLimitScope;
  retryAfterMs: number;
}

export interface ChatOutboxOptions {
  clock?: Clock;
  /** A call that has not settled by then frees its lane and counts as failed (default 15 s). */
  callTimeoutMs?: number;
  /**
   * Told of every 429 a platform call got, before it is waited out (the platform's metrics:
   * `AppContext.metrics.rateLimited`). It must not throw; if it does, the outbox goes on.
   */
  onRateLimited?: (notice: RateLimitNotice) => void;
}

interface Pending {
  request: OutboxRequest<unknown>;
  resolve(outcome: OutboxOutcome<unknown>): void;
  /** Its place in line: kept when a newer request of the same key replaces it. */
  seq: number;
}

/** A platform call that did not settle within the outbox's call timeout. */
export class CallTimeoutError extends Error {
  constructor(ms: number) {
    super(`the platform did not answer within ${ms} ms`);
    this.name = 'CallTimeoutError';
  }
}

/**
 * Every call to one platform goes through here: the adapter's budgets (per message, chat, group,
 * global) are never exceeded, a 429 pauses only what it concerns, latest-wins requests replace
 * each other while they wait, finals go first, and a slow or failing call holds up only its own
 * lane. Callers never wait for the platform unless they want to: `submit` resolves with an
 * outcome and never rejects.
 */
export class ChatOutbox {
  private readonly clock: Clock;
  private readonly callTimeoutMs: number;
  private readonly onRateLimited: ((notice: RateLimitNotice) => void) | undefined;
  private readonly ledger: BudgetLedger;
  private readonly pending = new Set<Pending>();
  private readonly byKey = new Map<string, Pending>();
  private readonly busyLanes = new Set<string>();
  /** Lanes with calls that timed out and may still land: how many. */
  private readonly overdue = new Map<string, number>();
  /** For those lanes only: the latest `reapply` request applied, by its place in line. */
  private readonly applied = new Map<string, { seq: number; request: OutboxRequest<unknown> }>();
  private nextSeq = 0;
  private pumpQueued = false;
  private timerAt = Infinity;
  private cancelTimer: (() => void) | undefined;
  private closed = false;

  constructor(
    readonly adapter: ChatAdapter,
    options: ChatOutboxOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.callTimeoutMs = options.callTimeoutMs ?? 15_000;
    this.onRateLimited = options.onRateLimited;
    this.ledger = new BudgetLedger(adapter.editBudgets);
  }

  /** Requests waiting for their turn or their budget. */
  get waiting(): number {
    return this.pending.size;
  }

  submit<T>(request: OutboxRequest<T>): Promise<OutboxOutcome<T>> {
    return new Promise<OutboxOutcome<T>>((resolve) => {
      const settle = resolve as (outcome: OutboxOutcome<unknown>) => void;
      if (this.closed) return settle({ status: 'closed' });
      const key = request.coalesceKey;
      const replaced = key === undefined ? undefined : this.byKey.get(key);
      if (replaced) {
        replaced.resolve({ status: 'superseded' });
        replaced.request = request as OutboxRequest<unknown>;
        replaced.resolve = settle;
      } else {
        const entry: Pending = {
          request: request as OutboxRequest<unknown>,
          resolve: settle,
          seq: this.nextSeq++,
        };
        this.pending.add(entry);
        if (key !== undefined) this.byKey.set(key, entry);
      }
      this.schedulePump();
    });
  }

  /** Drop the request waiting under this key (a result replaces pending progress). */
  cancel(coalesceKey: string): void {
    const entry = this.byKey.get(coalesceKey);
    if (!entry) return;
    this.remove(entry);
    entry.resolve({ status: 'superseded' });
  }

  send(target: ChatTarget, message: OutgoingMessage, priority: OutboxPriority = 'normal') {
    return this.submit({
      lane: `send:${target.chatId}`,
      priority,
      scope: () => ({ target }),
      run: () => this.adapter.send(target, message),
    });
  }

  edit(ref: MessageRef, content: OutgoingMessage, priority: OutboxPriority = 'normal') {
    return this.submit({
      lane: `message:${ref.target.chatId}:${ref.messageId}`,
      coalesceKey: `edit:${ref.target.chatId}:${ref.messageId}`,
      priority,
      reapply: true,
      scope: () => ({ target: ref.target, messageId: ref.messageId }),
      run: () => this.adapter.edit(ref, content),
    });
  }

  delete(ref: MessageRef, priority: OutboxPriority = 'normal') {
    return this.submit({
      lane: `message:${ref.target.chatId}:${ref.messageId}`,
      priority,
      scope: () => ({ target: ref.target }),
      run: () => this.adapter.delete(ref),
    });
  }

  /** Stop: everything waiting resolves `closed`; calls in flight settle on their own. */
  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    for (const entry of this.pending) entry.resolve({ status: 'closed' });
    this.pending.clear();
    this.byKey.clear();
  }

  private schedulePump(): void {
    if (this.pumpQueued || this.closed) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Start every request whose lane is free and whose budgets allow it; wake for the next. */
  private pump(): void {
    if (this.closed) return;
    const now = this.clock.now();
    const heads = new Map<string, Pending>();
    for (const entry of this.pending) {
      const lane = entry.request.lane;
      if (this.busyLanes.has(lane)) continue;
      const head = heads.get(lane);
      if (!head || entry.seq < head.seq) heads.set(lane, entry);
    }
    const inTurn = [...heads.values()].sort(
      (a, b) =>
        RANK[a.request.priority ?? 'normal'] - RANK[b.request.priority ?? 'normal'] ||
        a.seq - b.seq,
    );
    let wake = Infinity;
    for (const entry of inTurn) {
      // Progress leaves each window's last slot to finals: a result never waits behind previews.
      const keepOneFree = entry.request.priority === 'progress';
      // Everything after this one in line waits at least as long for the global budget.
      const everyone = this.ledger.globalWaitMs(now, keepOneFree);
      if (everyone > 0) {
        wake = Math.min(wake, now + everyone);
        break;
      }
      const scope = entry.request.scope();
      const wait = this.ledger.waitMs(scope, now, keepOneFree);
      if (wait > 0) {
        wake = Math.min(wake, now + wait);
        continue;
      }
      // Asked only now, when it could start: it may read (and render) the latest state.
      if (entry.request.skip?.()) {
        this.remove(entry);
        entry.resolve({ status: 'skipped' });
        continue;
      }
      this.start(entry, scope, now);
    }
    // Skipped heads may have let later requests of their lane into line.
    if (inTurn.some((entry) => !this.pending.has(entry) && !this.busyLanes.has(entry.request.lane)))
      this.schedulePump();
    this.armTimer(wake);
  }

  private start(entry: Pending, scope: CallScope, now: number): void {
    this.remove(entry);
    const lane = entry.request.lane;
    this.busyLanes.add(lane);
    const answered = this.ledger.record(scope, now);
    let timedOut = false;
    const stopTimer = this.clock.setTimer(() => {
      timedOut = true;
      answered(this.clock.now());
      this.overdue.set(lane, (this.overdue.get(lane) ?? 0) + 1);
      this.busyLanes.delete(lane);
      entry.resolve({ status: 'failed', error: new CallTimeoutError(this.callTimeoutMs) });
      this.schedulePump();
    }, this.callTimeoutMs);
    let call: Promise<unknown>;
    try {
      call = entry.request.run();
    } catch (error) {
      call = Promise.reject(error);
    }
    call.then(
      (value) => {
        if (timedOut) return this.landedLate(entry, true);
        answered(this.clock.now());
        stopTimer();
        this.busyLanes.delete(lane);
        if (entry.request.reapply && this.overdue.has(lane))
          this.applied.set(lane, { seq: entry.seq, request: entry.request });
        entry.resolve({ status: 'done', value });
        this.schedulePump();
      },
      (error: unknown) => {
        if (timedOut) return this.landedLate(entry, false);
        answered(this.clock.now());
        stopTimer();
        this.busyLanes.delete(lane);
        if (isRateLimited(error) && !this.closed) {
          this.noteRateLimit(error.scope, error.retryAfterMs);
          this.ledger.pause(scope, error.scope, this.clock.now() + error.retryAfterMs);
          this.requeue(entry);
        } else entry.resolve({ status: 'failed', error });
        this.schedulePump();
      },
    );
  }

  private noteRateLimit(scope: RateLimitScope, retryAfterMs: number): void {
    try {
      this.onRateLimited?.({ platform: this.adapter.platform, scope, retryAfterMs });
    } catch {
      // Counting it is not worth losing the call over.
    }
  }

  /** A 429'd request waits again in its old place, unless a newer one of its key came meanwhile. */
  private requeue(entry: Pending): void {
    const key = entry.request.coalesceKey;
    if (key !== undefined && this.byKey.has(key)) {
      entry.resolve({ status: 'superseded' });
      return;
    }
    this.pending.add(entry);
    if (key !== undefined) this.byKey.set(key, entry);
  }

  /** A timed-out call landed after all: if a newer one of its lane landed first, apply that again. */
  private landedLate(entry: Pending, succeeded: boolean): void {
    const lane = entry.request.lane;
    const latest = this.applied.get(lane);
    const left = (this.overdue.get(lane) ?? 1) - 1;
    if (left > 0) this.overdue.set(lane, left);
    else {
      this.overdue.delete(lane);
      this.applied.delete(lane);
    }
    if (!succeeded || !entry.request.reapply || this.closed) return;
    if (!latest || latest.seq < entry.seq) return;
    const key = latest.request.coalesceKey;
    if (key !== undefined && this.byKey.has(key)) return; // something newer is on its way anyway
    void this.submit(latest.request);
  }

  private remove(entry: Pending): void {
    this.pending.delete(entry);
    const key = entry.request.coalesceKey;
    if (key !== undefined && this.byKey.get(key) === entry) this.byKey.delete(key);
  }

  private armTimer(at: number): void {
    if (at === Infinity || at >= this.timerAt) return;
    this.cancelTimer?.();
    this.timerAt = at;
    this.cancelTimer = this.clock.setTimer(
      () => {
        this.timerAt = Infinity;
        this.cancelTimer = undefined;
        this.pump();
      },
      Math.max(0, at - this.clock.now()),
    );
  }
}

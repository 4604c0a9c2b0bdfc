import type { ChatTarget, EditBudgets, Rate } from './ChatAdapter.js';
import type { RateLimitScope } from './RateLimitedError.js';
import { SlidingWindow, type WindowEntry } from './SlidingWindow.js';

/** The budgets one call counts against, by key. */
export interface CallScope {
  target: ChatTarget;
  /** Set for edits: the message's own budget applies too. */
  messageId?: string | undefined;
}

/**
 * Every budget an adapter declares, per message, chat, group and globally, plus the pauses a
 * platform's 429 imposed: how long a call must wait, and its use once it starts.
 */
export class BudgetLedger {
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly pausedUntil = new Map<string, number>();
  private recorded = 0;

  constructor(private readonly budgets: EditBudgets) {}

  /**
   * How long until a call of this scope may start (0: now). With `keepOneFree` (progress) every
   * window of two or more keeps its last slot for a call that must not wait (a job's final).
   */
  waitMs(scope: CallScope, now: number, keepOneFree = false): number {
    const reserve = keepOneFree ? 1 : 0;
    let wait = 0;
    for (const [key, rate] of this.keysOf(scope)) {
      const paused = this.pausedUntil.get(key);
      if (paused !== undefined) {
        if (paused > now) wait = Math.max(wait, paused - now);
        else this.pausedUntil.delete(key);
      }
      if (rate) wait = Math.max(wait, this.window(key, rate).waitMs(now, reserve));
    }
    return wait;
  }

  /**
   * How long until any call may start as far as the global budget (and a global pause) goes:
   * while it is above 0, nothing else needs looking at.
   */
  globalWaitMs(now: number, keepOneFree = false): number {
    let wait = 0;
    const paused = this.pausedUntil.get('global');
    if (paused !== undefined && paused > now) wait = paused - now;
    const rate = this.budgets.global;
    if (rate) wait = Math.max(wait, this.window('global', rate).waitMs(now, keepOneFree ? 1 : 0));
    return wait;
  }

  /** A call of this scope starts; call what it returns once the platform answered. */
  record(scope: CallScope, now: number): (answeredAt: number) => void {
    const counted: [SlidingWindow, WindowEntry][] = [];
    for (const [key, rate] of this.keysOf(scope)) {
      if (!rate) continue;
      const window = this.window(key, rate);
      counted.push([window, window.record(now)]);
    }
    if (++this.recorded % 256 === 0) this.forgetIdle(now);
    return (answeredAt) => {
      for (const [window, entry] of counted) window.close(entry, answeredAt);
    };
  }

  /** A 429: nothing of that scope until `until`. */
  pause(scope: CallScope, limit: RateLimitScope, until: number): void {
    const key =
      limit === 'global'
        ? 'global'
        : limit === 'message' && scope.messageId !== undefined
          ? messageKey(scope)
          : `chat:${scope.target.chatId}`;
    this.pausedUntil.set(key, Math.max(until, this.pausedUntil.get(key) ?? 0));
  }

  private keysOf(scope: CallScope): [string, Rate | undefined][] {
    const keys: [string, Rate | undefined][] = [
      ['global', this.budgets.global],
      [`chat:${scope.target.chatId}`, this.budgets.perChat],
    ];
    if (scope.target.isGroup) keys.push([`group:${scope.target.chatId}`, this.budgets.perGroup]);
    if (scope.messageId !== undefined) keys.push([messageKey(scope), this.budgets.perMessage]);
    return keys;
  }

  private window(key: string, rate: Rate): SlidingWindow {
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = new SlidingWindow(rate)));
    return window;
  }

  private forgetIdle(now: number): void {
    for (const [key, window] of this.windows) if (window.idle(now)) this.windows.delete(key);
    for (const [key, until] of this.pausedUntil) if (until <= now) this.pausedUntil.delete(key);
  }
}

function messageKey(scope: CallScope): string {
  return `message:${scope.target.chatId}:${scope.messageId}`;
}

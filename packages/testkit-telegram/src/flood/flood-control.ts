import { tooManyRequests } from '../api/api-error.js';
import type { FakeTelegramEvents, FloodReason, TooManyRequestsRecord } from '../records.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import type { ResolvedFloodLimits, ScriptedFlood } from './flood-options.js';
import { SlidingWindow } from './sliding-window.js';
import { TokenBucket } from './token-bucket.js';

/** Slack for timers that fire a hair early; Telegram's own granularity is a whole second. */
const WINDOW_GRACE_MS = 100;

export interface FloodSubject {
  method: string;
  chatId?: number;
  isGroup: boolean;
  /** Sends and edits count against the limits; other methods only meet windows and scripts. */
  counted: boolean;
}

/**
 * Telegram's flood limits. Every 429 opens a retry_after window for the chat (or, for calls
 * without a chat, for the method); a call inside an open window is refused again and recorded
 * as avoidable, since the bot had been told to wait.
 */
export class FloodControl {
  readonly records: TooManyRequestsRecord[] = [];
  private readonly windows = new Map<string, number>();
  private readonly scripts: ScriptedFlood[] = [];
  private readonly chatBuckets = new Map<number, TokenBucket>();
  private readonly groupWindows = new Map<number, SlidingWindow>();
  private readonly global: SlidingWindow | undefined;

  constructor(
    private readonly limits: ResolvedFloodLimits,
    private readonly events: TypedEmitter<FakeTelegramEvents>,
  ) {
    if (limits.globalPerSecond !== false)
      this.global = new SlidingWindow(limits.globalPerSecond, 1000);
  }

  script(rule: ScriptedFlood): void {
    this.scripts.push({ ...rule });
  }

  /** Throws the 429 for a refused call; otherwise returns what to run once the call succeeded. */
  admit(subject: FloodSubject): () => void {
    const now = performance.now();
    const key =
      subject.chatId !== undefined ? `chat:${subject.chatId}` : `method:${subject.method}`;
    const keys = subject.counted ? [key, 'global'] : [key];
    for (const windowKey of keys) {
      const until = this.windows.get(windowKey) ?? 0;
      if (until - now > WINDOW_GRACE_MS) {
        throw this.refuse(subject, windowKey, Math.ceil((until - now) / 1000), 'window', now, true);
      }
    }
    const script = this.takeScript(subject);
    if (script) throw this.refuse(subject, key, script.retryAfterS, 'scripted', now, false);
    if (!subject.counted) return () => {};
    const limited = this.limitHit(subject, now);
    if (limited) {
      const windowKey = limited.reason === 'global' ? 'global' : key;
      throw this.refuse(
        subject,
        windowKey,
        Math.max(1, Math.ceil(limited.seconds)),
        limited.reason,
        now,
        false,
      );
    }
    return () => this.count(subject, performance.now());
  }

  private takeScript(subject: FloodSubject): ScriptedFlood | undefined {
    const script = this.scripts.find(
      (rule) =>
        rule.count > 0 &&
        (rule.chatId === undefined || rule.chatId === subject.chatId) &&
        (rule.method === undefined || rule.method.toLowerCase() === subject.method.toLowerCase()),
    );
    if (script) script.count -= 1;
    return script;
  }

  private limitHit(
    subject: FloodSubject,
    now: number,
  ): { reason: FloodReason; seconds: number } | undefined {
    if (subject.chatId !== undefined) {
      const chatWait = this.chatBucket(subject.chatId, now)?.waitSeconds(now) ?? 0;
      if (chatWait > 0) return { reason: 'chat', seconds: chatWait };
      const groupWait = subject.isGroup
        ? (this.groupWindow(subject.chatId)?.waitSeconds(now) ?? 0)
        : 0;
      if (groupWait > 0) return { reason: 'group', seconds: groupWait };
    }
    const globalWait = this.global?.waitSeconds(now) ?? 0;
    return globalWait > 0 ? { reason: 'global', seconds: globalWait } : undefined;
  }

  private count(subject: FloodSubject, now: number): void {
    this.global?.add(now);
    if (subject.chatId === undefined) return;
    this.chatBucket(subject.chatId, now)?.take(now);
    if (subject.isGroup) this.groupWindow(subject.chatId)?.add(now);
  }

  private chatBucket(chatId: number, now: number): TokenBucket | undefined {
    const limit = this.limits.perChat;
    if (limit === false) return undefined;
    let bucket = this.chatBuckets.get(chatId);
    if (!bucket) {
      bucket = new TokenBucket(limit.perSecond, limit.burst, now);
      this.chatBuckets.set(chatId, bucket);
    }
    return bucket;
  }

  private groupWindow(chatId: number): SlidingWindow | undefined {
    const limit = this.limits.perGroupPerMinute;
    if (limit === false) return undefined;
    let window = this.groupWindows.get(chatId);
    if (!window) {
      window = new SlidingWindow(limit, 60_000);
      this.groupWindows.set(chatId, window);
    }
    return window;
  }

  private refuse(
    subject: FloodSubject,
    windowKey: string,
    retryAfterS: number,
    reason: FloodReason,
    now: number,
    avoidable: boolean,
  ): Error {
    if (!avoidable) this.windows.set(windowKey, now + retryAfterS * 1000);
    const record: TooManyRequestsRecord = {
      method: subject.method,
      retryAfterS,
      reason,
      scripted: reason === 'scripted',
      avoidable,
      time: Date.now(),
    };
    if (subject.chatId !== undefined) record.chatId = subject.chatId;
    this.records.push(record);
    this.events.emit('too-many-requests', record);
    return tooManyRequests(retryAfterS);
  }
}

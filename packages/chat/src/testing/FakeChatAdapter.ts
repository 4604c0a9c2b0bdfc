import type {
  ButtonPress,
  ButtonRow,
  ChatAdapter,
  ChatTarget,
  EditBudgets,
  MessageRef,
  OutgoingFile,
  OutgoingMessage,
  Rate,
  TextRules,
} from '../adapter/ChatAdapter.js';
import { systemClock, type Clock } from '../adapter/Clock.js';
import { RateLimitedError } from '../adapter/RateLimitedError.js';
import { SlidingWindow } from '../adapter/SlidingWindow.js';

export type FakeCallKind = 'send' | 'edit' | 'editMedia' | 'delete';

export interface FakeCall {
  at: number;
  kind: FakeCallKind;
  chatId: string;
  messageId?: string;
  outcome: 'ok' | 'rate-limited' | 'failed';
}

/** A call the platform would have refused: over one of the budgets the adapter declares. */
export interface BudgetViolation {
  at: number;
  budget: keyof EditBudgets;
  key: string;
  call: FakeCall;
}

export interface FakeMessageVersion {
  at: number;
  text: string;
  files: readonly OutgoingFile[];
  buttons: readonly ButtonRow[];
}

export interface FakeMessage {
  id: string;
  target: ChatTarget;
  text: string;
  files: readonly OutgoingFile[];
  buttons: readonly ButtonRow[];
  deleted: boolean;
  /** Every content it had, the first send included. */
  history: FakeMessageVersion[];
}

export interface FakeChatAdapterOptions {
  platform?: string;
  rules?: Partial<TextRules>;
  /** Enforced: a call over any of them is answered 429 and recorded as a violation. */
  editBudgets?: EditBudgets;
  uploadLimit?: number;
  clock?: Clock;
  /**
   * Like Telegram, files cannot be added to a message that has none: `editMedia` with files on
   * such a message sends a new one (answering the same message) and deletes the old.
   */
  replacesTextWithMedia?: boolean;
}

const DEFAULT_RULES: TextRules = {
  markup: 'plain',
  maxTextLength: 4096,
  maxCaptionLength: 1024,
  maxButtonsPerRow: 5,
  maxButtonRows: 5,
  maxButtonDataBytes: 64,
};

/**
 * A chat platform in memory, for tests: it keeps every message with its history, enforces the
 * budgets it declares the way a platform does (a call over budget gets a 429 and is recorded
 * in `violations`), and can be told to answer 429 on one chat for a while, to fail calls, or to
 * hold them (a slow platform).
 */
export class FakeChatAdapter implements ChatAdapter {
  readonly platform: string;
  readonly rules: TextRules;
  readonly editBudgets: EditBudgets;
  readonly calls: FakeCall[] = [];
  readonly violations: BudgetViolation[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly answers: { press: ButtonPress; text?: string; alert?: boolean }[] = [];
  private readonly clock: Clock;
  private readonly limit: number;
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly limitedUntil = new Map<string, number>();
  private readonly failures = new Map<string, unknown[]>();
  private readonly held = new Map<string, Promise<void>>();
  private readonly heldNext = new Map<string, Promise<void>>();
  private readonly watchers = new Set<() => void>();
  private readonly replacesTextWithMedia: boolean;
  private nextId = 1;

  constructor(options: FakeChatAdapterOptions = {}) {
    this.platform = options.platform ?? 'fake';
    this.rules = { ...DEFAULT_RULES, ...options.rules };
    this.editBudgets = options.editBudgets ?? {};
    this.limit = options.uploadLimit ?? 10 * 1024 * 1024;
    this.clock = options.clock ?? systemClock;
    this.replacesTextWithMedia = options.replacesTextWithMedia ?? false;
  }

  uploadLimit(): number {
    return this.limit;
  }

  /** Answer 429 to every call in this chat for `ms` from now. */
  rateLimit(chatId: string, ms: number): void {
    this.limitedUntil.set(chatId, this.clock.now() + ms);
  }

  /** The next calls in this chat throw these errors, one each (a RateLimitedError is a 429). */
  fail(chatId: string, ...errors: unknown[]): void {
    this.failures.set(chatId, [...(this.failures.get(chatId) ?? []), ...errors]);
  }

  /** Calls in this chat hang until the returned function is called. */
  hold(chatId: string): () => void {
    let release!: () => void;
    this.held.set(chatId, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.held.delete(chatId);
      release();
    };
  }

  /** The next call in this chat hangs until the returned function is called; later ones do not. */
  holdNext(chatId: string): () => void {
    let release!: () => void;
    this.heldNext.set(chatId, new Promise<void>((resolve) => (release = resolve)));
    return () => release();
  }

  messagesIn(chatId: string): FakeMessage[] {
    return [...this.messages.values()].filter((message) => message.target.chatId === chatId);
  }

  callsIn(chatId: string): FakeCall[] {
    return this.calls.filter((call) => call.chatId === chatId);
  }

  /** Resolves once `condition` holds, checked after every call (no polling, no sleeps). */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
    });
  }

  async send(target: ChatTarget, message: OutgoingMessage): Promise<MessageRef> {
    await this.admit('send', target);
    const id = `m${this.nextId++}`;
    const stored: FakeMessage = {
      id,
      target,
      text: message.text,
      files: message.files ?? [],
      buttons: message.buttons ?? [],
      deleted: false,
      history: [],
    };
    this.messages.set(id, stored);
    this.record(stored);
    return { target, messageId: id };
  }

  async edit(ref: MessageRef, content: OutgoingMessage): Promise<void> {
    const stored = this.existing(ref);
    await this.admit('edit', ref.target, ref.messageId);
    stored.text = content.text;
    if (content.buttons) stored.buttons = content.buttons;
    this.record(stored);
  }

  async editMedia(ref: MessageRef, content: OutgoingMessage): Promise<MessageRef> {
    const stored = this.existing(ref);
    if (
      this.replacesTextWithMedia &&
      stored.files.length === 0 &&
      (content.files ?? []).length > 0
    ) {
      const fresh = await this.send(ref.target, content);
      await this.delete(ref);
      return fresh;
    }
    await this.admit('editMedia', ref.target, ref.messageId);
    stored.text = content.text;
    stored.files = content.files ?? [];
    stored.buttons = content.buttons ?? [];
    this.record(stored);
    return ref;
  }

  async delete(ref: MessageRef): Promise<void> {
    const stored = this.existing(ref);
    await this.admit('delete', ref.target);
    stored.deleted = true;
    this.notify();
  }

  async answerButton(press: ButtonPress, answer: { text?: string; alert?: boolean }) {
    this.answers.push({ press, ...answer });
    this.notify();
  }

  private existing(ref: MessageRef): FakeMessage {
    const stored = this.messages.get(ref.messageId);
    if (!stored || stored.deleted) throw new Error(`message ${ref.messageId} does not exist`);
    return stored;
  }

  /** What a platform does before it accepts a call: held, failed, 429'd, or counted. */
  private async admit(kind: FakeCallKind, target: ChatTarget, messageId?: string): Promise<void> {
    const chatId = target.chatId;
    const call: FakeCall = { at: this.clock.now(), kind, chatId, outcome: 'ok' };
    if (messageId !== undefined && kind !== 'delete') call.messageId = messageId;
    const until = this.limitedUntil.get(chatId);
    if (until !== undefined && until > call.at) {
      this.settle(call, 'rate-limited');
      throw new RateLimitedError(until - call.at, 'chat');
    }
    const failure = this.failures.get(chatId)?.shift();
    if (failure !== undefined) {
      this.settle(call, failure instanceof RateLimitedError ? 'rate-limited' : 'failed');
      throw failure;
    }
    const over = this.overBudget(call, target);
    if (over.length > 0) {
      for (const [budget, key] of over) this.violations.push({ at: call.at, budget, key, call });
      this.settle(call, 'rate-limited');
      throw new RateLimitedError(1000, 'chat');
    }
    // The platform counts a call when it receives it: now.
    for (const [key, rate] of this.budgetsOf(call, target)) {
      const window = this.window(key, rate);
      window.close(window.record(call.at), call.at);
    }
    this.settle(call, 'ok');
    const heldNext = this.heldNext.get(chatId);
    this.heldNext.delete(chatId);
    const held = heldNext ?? this.held.get(chatId);
    if (held) await held;
  }

  private overBudget(call: FakeCall, target: ChatTarget): [keyof EditBudgets, string][] {
    return this.budgetsOf(call, target)
      .filter(([key, rate]) => this.window(key, rate).waitMs(call.at) > 0)
      .map(([key]) => [key.split(':')[0] as keyof EditBudgets, key]);
  }

  private budgetsOf(call: FakeCall, target: ChatTarget): [string, Rate][] {
    const budgets = this.editBudgets;
    const keys: [string, Rate | undefined][] = [
      ['global', budgets.global],
      [`perChat:${call.chatId}`, budgets.perChat],
      [`perGroup:${call.chatId}`, target.isGroup ? budgets.perGroup : undefined],
      [
        `perMessage:${call.chatId}:${call.messageId}`,
        call.messageId ? budgets.perMessage : undefined,
      ],
    ];
    return keys.filter((entry): entry is [string, Rate] => entry[1] !== undefined);
  }

  private window(key: string, rate: Rate): SlidingWindow {
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = new SlidingWindow(rate)));
    return window;
  }

  private settle(call: FakeCall, outcome: FakeCall['outcome']): void {
    call.outcome = outcome;
    this.calls.push(call);
    this.notify();
  }

  private record(stored: FakeMessage): void {
    stored.history.push({
      at: this.clock.now(),
      text: stored.text,
      files: stored.files,
      buttons: stored.buttons,
    });
    this.notify();
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }
}

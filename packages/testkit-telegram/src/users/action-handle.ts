import type {
  CallbackAnswer,
  DeliveredUpdate,
  FakeTelegramEvents,
  SentMessage,
} from '../records.js';
import type { ChatRecord } from '../state/chat-store.js';
import type { CallbackQueries } from '../state/callback-queries.js';
import type { Message, Update } from '../types.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import { waitFor } from '../util/wait-for.js';

/** Why an action produced no update for the bot. */
export type SkipReason = 'privacy-mode' | 'allowed-updates';

/** What a test gets back from acting as a user: the update, and ways to wait for the bot. */
export class UserActionHandle {
  private deliveredFlag = false;
  private readonly botMessagesBefore: number;

  constructor(
    /** The update queued for the bot; undefined when skipped. */
    readonly update: Update | undefined,
    /** The user's message (undefined for a button press). */
    readonly message: Message | undefined,
    /** Set when Telegram would not pass this to the bot. */
    readonly skipped: SkipReason | undefined,
    protected readonly events: TypedEmitter<FakeTelegramEvents>,
    private readonly chat: ChatRecord,
    private readonly isPending: (updateId: number) => boolean,
  ) {
    this.botMessagesBefore = chat.botMessages.length;
    if (update) this.watchDelivery(update.update_id);
  }

  /** Resolves once the update was handed to the bot (in a getUpdates answer, or accepted by the webhook). */
  delivered(timeoutMs?: number): Promise<Update> {
    const update = this.update;
    if (!update) return Promise.reject(new Error(`the update was not queued (${this.skipped})`));
    return waitFor(
      this.events,
      ['update'],
      () => (this.deliveredFlag ? update : undefined),
      `update ${update.update_id} to reach the bot`,
      timeoutMs,
    );
  }

  /**
   * Resolves once the update left the queue: the bot confirmed it with a later getUpdates offset,
   * or the webhook accepted it. A runner confirms an update with the getUpdates after it.
   */
  confirmed(timeoutMs?: number): Promise<Update> {
    const update = this.update;
    if (!update) return Promise.reject(new Error(`the update was not queued (${this.skipped})`));
    return waitFor(
      this.events,
      ['confirm'],
      () => (this.isPending(update.update_id) ? undefined : update),
      `update ${update.update_id} to be confirmed`,
      timeoutMs,
    );
  }

  /** The first message the bot sends in this chat after this action (already sent ones count). */
  reply(timeoutMs?: number): Promise<SentMessage> {
    return this.replies(1, timeoutMs).then((messages) => messages[0]!);
  }

  /** The first `count` messages the bot sends in this chat after this action. */
  replies(count: number, timeoutMs?: number): Promise<SentMessage[]> {
    return waitFor(
      this.events,
      ['message'],
      () => {
        const after = this.chat.botMessages.slice(this.botMessagesBefore);
        return after.length >= count ? after.slice(0, count) : undefined;
      },
      `${count} bot message(s) in chat ${this.chat.chat.id}`,
      timeoutMs,
    );
  }

  private watchDelivery(updateId: number): void {
    const listener = (delivered: DeliveredUpdate): void => {
      if (delivered.update.update_id !== updateId) return;
      this.deliveredFlag = true;
      this.events.off('update', listener);
    };
    this.events.on('update', listener);
  }
}

export class CallbackQueryHandle extends UserActionHandle {
  constructor(
    update: Update | undefined,
    skipped: SkipReason | undefined,
    events: TypedEmitter<FakeTelegramEvents>,
    chat: ChatRecord,
    isPending: (updateId: number) => boolean,
    readonly callbackQueryId: string,
    private readonly callbacks: CallbackQueries,
  ) {
    super(update, undefined, skipped, events, chat, isPending);
  }

  /** Resolves with the bot's answerCallbackQuery for this press. */
  answered(timeoutMs?: number): Promise<CallbackAnswer> {
    return waitFor(
      this.events,
      ['callback-answer'],
      () => this.callbacks.answerOf(this.callbackQueryId),
      `answerCallbackQuery for ${this.callbackQueryId}`,
      timeoutMs,
    );
  }
}

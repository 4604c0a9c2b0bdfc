import {
  englishWording,
  escapeText,
  type ButtonPress,
  type ButtonRow,
  type ChatAdapter,
  type ChatOutbox,
  type ChatTarget,
  type EditBudgets,
  type MessageRef,
  type OutgoingFile,
  type OutgoingMessage,
  type TextRules,
  type Wording,
} from '@comfyrelay/chat';
import { silentLogger, type Logger } from '@comfyrelay/core';
import type { Api } from 'grammy';
import { inlineKeyboard } from './inlineKeyboard.js';
import { caption, withHtml } from './htmlText.js';
import { inputMedia } from './inputMedia.js';
import { placeholderPicture } from './placeholderPicture.js';
import { planMedia, type MediaLimits } from './planMedia.js';
import { sendMedia } from './sendMedia.js';
import {
  isAlreadyDeleted,
  isNotModified,
  isTextOnly,
  isWrongEditKind,
  translateError,
} from './telegramErrors.js';
import { MAX_CALLBACK_ANSWER, TELEGRAM_BUDGETS, TELEGRAM_RULES } from './telegramLimits.js';
import { chatIdOf, isMedia, messageIdOf, placement, refOf, replyToOf } from './telegramRefs.js';

export interface TelegramAdapterOptions {
  limits: MediaLimits;
  logger?: Logger;
  /** The words of what the adapter adds itself (the original's caption); default English. */
  wording?: Wording;
}

/** An album holds 2 to 10 items. */
const MAX_ALBUM = 10;

/**
 * The chat layer's adapter for Telegram: one Bot API request per call (plus the few Telegram
 * needs to show a message: an original after its recompressed photo, an album's buttons), a 429
 * thrown as `RateLimitedError` for the chat layer's outbox to wait out. It neither throttles nor
 * retries: the outbox does both, so no auto-retry runs on these methods.
 */
export class TelegramAdapter implements ChatAdapter {
  readonly platform = 'telegram';
  readonly rules: TextRules = TELEGRAM_RULES;
  readonly editBudgets: EditBudgets = TELEGRAM_BUDGETS;
  private readonly logger: Logger;
  private outbox: ChatOutbox | undefined;

  constructor(
    private readonly api: Api,
    private readonly options: TelegramAdapterOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  /** The outbox that extra messages go through, within the same budgets as the rest. */
  useOutbox(outbox: ChatOutbox): void {
    this.outbox = outbox;
  }

  uploadLimit(): number {
    return this.options.limits.uploadBytes;
  }

  send(target: ChatTarget, message: OutgoingMessage): Promise<MessageRef> {
    return translated(() => this.sendNow(target, message, message.replyTo?.messageId));
  }

  edit(ref: MessageRef, content: OutgoingMessage): Promise<void> {
    return translated(() => this.editNow(ref, content));
  }

  editMedia(ref: MessageRef, content: OutgoingMessage): Promise<MessageRef> {
    return translated(() => this.editMediaNow(ref, content));
  }

  delete(ref: MessageRef): Promise<void> {
    return translated(async () => {
      await this.api
        .deleteMessage(chatIdOf(ref.target), messageIdOf(ref))
        .catch((error: unknown) => {
          if (!isAlreadyDeleted(error)) throw error;
        });
    });
  }

  /** Chat's answers are plain text, as a callback answer shows them. */
  answerButton(press: ButtonPress, answer: { text?: string; alert?: boolean }): Promise<void> {
    const text = answer.text;
    return translated(async () => {
      await this.api.answerCallbackQuery(press.id, {
        ...(text ? { text: text.slice(0, MAX_CALLBACK_ANSWER) } : {}),
        ...(answer.alert ? { show_alert: true } : {}),
      });
    });
  }

  private async sendNow(
    target: ChatTarget,
    message: OutgoingMessage,
    replyTo: string | undefined,
  ): Promise<MessageRef> {
    const files = message.files ?? [];
    if (files.length > 1) return this.sendAlbum(target, message, files, replyTo);
    if (files[0]) return this.sendFile(target, message, files[0], replyTo);
    const sent = await withHtml((mode) =>
      this.api.sendMessage(chatIdOf(target), message.text, {
        ...mode,
        link_preview_options: { is_disabled: true },
        ...placement(target, replyTo),
        ...inlineKeyboard(message.buttons),
      }),
    );
    return refOf(target, sent, replyTo);
  }

  private async sendFile(
    target: ChatTarget,
    message: OutgoingMessage,
    file: OutgoingFile,
    replyTo: string | undefined,
  ): Promise<MessageRef> {
    const plan = await planMedia(file, this.options.limits);
    if ('refused' in plan) return this.sendNow(target, withRefusal(message, plan.refused), replyTo);
    const sent = await withHtml((mode) =>
      sendMedia(this.api, plan.kind, target, plan.file, {
        ...caption(message.text, mode),
        ...placement(target, replyTo),
        ...inlineKeyboard(message.buttons),
      }),
    );
    const ref = refOf(target, sent, replyTo);
    if (plan.original) this.sendOriginal(target, plan.original, ref);
    return ref;
  }

  /**
   * Several files: one album (photos and videos, or documents), the text and buttons in a
   * message answering it, since an album carries no buttons.
   */
  private async sendAlbum(
    target: ChatTarget,
    message: OutgoingMessage,
    files: readonly OutgoingFile[],
    replyTo: string | undefined,
  ): Promise<MessageRef> {
    if (files.length > MAX_ALBUM)
      this.logger.warn('an album holds at most 10 files; the rest are left out', {
        files: files.length,
      });
    const plans = await Promise.all(
      files.slice(0, MAX_ALBUM).map((file) => planMedia(file, this.options.limits)),
    );
    const items = plans.flatMap((plan) => ('refused' in plan ? [] : [plan]));
    const documents = items.every((item) => item.kind === 'document');
    const visual = items.every((item) => item.kind === 'photo' || item.kind === 'video');
    if (items.length < 2 || !(documents || visual)) {
      const [first, ...rest] = items;
      if (!first) return this.sendNow(target, { ...message, files: [] }, replyTo);
      for (const item of rest) this.later(target, { text: '', files: [item.file] });
      return this.sendFile(target, message, first.file, replyTo);
    }
    const media = items.map((item) => inputMedia(item.kind, item.file));
    const sent = await this.api.sendMediaGroup(
      chatIdOf(target),
      // Either all documents or photos and videos, as Telegram's albums must be.
      media as Parameters<Api['sendMediaGroup']>[1],
      placement(target, replyTo),
    );
    const ref = refOf(target, sent[0]!, replyTo);
    for (const item of items) if (item.original) this.sendOriginal(target, item.original, ref);
    if (message.text !== '' || (message.buttons?.length ?? 0) > 0)
      this.later(target, {
        text: message.text,
        ...(message.buttons ? { buttons: message.buttons } : {}),
        replyTo: ref,
      });
    return ref;
  }

  private async editNow(ref: MessageRef, content: OutgoingMessage): Promise<void> {
    const asCaption = isMedia(ref);
    try {
      await this.editWords(ref, content, asCaption);
    } catch (error) {
      if (isNotModified(error)) return;
      // A ref from elsewhere (a button's message) may say text where there is a caption.
      if (!isWrongEditKind(error)) throw error;
      await this.editWords(ref, content, !asCaption).catch((retried: unknown) => {
        if (!isNotModified(retried)) throw retried;
      });
    }
  }

  private async editWords(
    ref: MessageRef,
    content: OutgoingMessage,
    asCaption: boolean,
  ): Promise<void> {
    const chat = chatIdOf(ref.target);
    const keyboard = inlineKeyboard(content.buttons);
    await withHtml((mode) =>
      asCaption
        ? this.api.editMessageCaption(chat, messageIdOf(ref), {
            ...caption(content.text, mode),
            ...keyboard,
          })
        : this.api.editMessageText(chat, messageIdOf(ref), content.text, {
            ...mode,
            link_preview_options: { is_disabled: true },
            ...keyboard,
          }),
    );
  }

  private async editMediaNow(ref: MessageRef, content: OutgoingMessage): Promise<MessageRef> {
    const files = content.files ?? [];
    if (files.length === 0) {
      // A photo message cannot become a text message: what it showed (a half-made preview)
      // gives way to the neutral picture the job's message started with.
      if (isMedia(ref))
        return this.editMediaNow(ref, { ...content, files: [await placeholderPicture()] });
      await this.editNow(ref, content);
      return ref;
    }
    if (!isMedia(ref) || files.length > 1) return this.replace(ref, content);
    const plan = await planMedia(files[0]!, this.options.limits);
    if ('refused' in plan) {
      await this.editNow(ref, withRefusal(content, plan.refused));
      return ref;
    }
    try {
      await withHtml((mode) =>
        this.api.editMessageMedia(
          chatIdOf(ref.target),
          messageIdOf(ref),
          inputMedia(plan.kind, plan.file, content.text, mode),
          inlineKeyboard(content.buttons),
        ),
      );
    } catch (error) {
      if (isNotModified(error)) return ref;
      if (isTextOnly(error)) return this.replace(ref, content);
      throw error;
    }
    if (plan.original) this.sendOriginal(ref.target, plan.original, ref);
    return ref;
  }

  /** Telegram cannot give a text message files: a new message answering the same one replaces it. */
  private async replace(ref: MessageRef, content: OutgoingMessage): Promise<MessageRef> {
    const fresh = await this.sendNow(ref.target, content, replyToOf(ref));
    await this.api.deleteMessage(chatIdOf(ref.target), messageIdOf(ref)).catch((error: unknown) =>
      this.logger.debug('the replaced message could not be deleted', {
        message: ref.messageId,
        error: String(error),
      }),
    );
    return fresh;
  }

  /** A picture recompressed to be a photo: the original follows as a file, answering it. */
  private sendOriginal(target: ChatTarget, original: OutgoingFile, photo: MessageRef): void {
    const caption = (this.options.wording ?? englishWording).originalAsFile;
    this.later(target, {
      text: escapeText(caption, TELEGRAM_RULES.markup),
      files: [original],
      replyTo: photo,
    });
  }

  /** A message that follows the one being sent, through the outbox when there is one. */
  private later(target: ChatTarget, message: OutgoingMessage): void {
    const failed = (error: unknown) =>
      this.logger.warn('a follow-up message could not be sent', {
        chat: target.chatId,
        error: String(error),
      });
    if (!this.outbox) {
      void this.send(target, message).catch(failed);
      return;
    }
    void this.outbox.send(target, message, 'final').then((outcome) => {
      if (outcome.status === 'failed') failed(outcome.error);
    });
  }
}

/** Every call of the adapter: a 429 leaves it as the chat layer's RateLimitedError. */
async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateError(error);
  }
}

function withRefusal(message: OutgoingMessage, refusal: string): OutgoingMessage {
  const sentence = escapeText(refusal, TELEGRAM_RULES.markup);
  const text = message.text === '' ? sentence : `${message.text}\n${sentence}`;
  const buttons: readonly ButtonRow[] | undefined = message.buttons;
  return { text, files: [], ...(buttons ? { buttons } : {}) };
}

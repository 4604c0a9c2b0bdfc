import type { Markup } from '../text/Markup.js';

/** Where messages go: a chat, channel or group, as the platform names it. */
export interface ChatTarget {
  chatId: string;
  /** Groups have a budget of their own on some platforms (Telegram: 20 messages a minute). */
  isGroup?: boolean;
  /** A thread or topic within the chat. */
  threadId?: string;
}

/** A message the bot sent, as the adapter finds it again. */
export interface MessageRef {
  target: ChatTarget;
  messageId: string;
  /** The adapter's own details (an interaction token, whether it holds media …). */
  platform?: Readonly<Record<string, unknown>>;
}

export interface Button {
  label: string;
  /** An action token (see `ActionCodec`): the button's `custom_id` / `callback_data`. */
  token: string;
  style?: 'primary' | 'secondary' | 'danger';
}

export type ButtonRow = readonly Button[];

/** A file to attach: a result, a preview, a grid. */
export interface OutgoingFile {
  data: Uint8Array;
  mime: string;
  filename: string;
  kind: 'image' | 'animation' | 'video' | 'document';
  width?: number;
  height?: number;
}

/** What a message holds: text in the adapter's markup (a caption when it has files), files, buttons. */
export interface OutgoingMessage {
  text: string;
  files?: readonly OutgoingFile[];
  buttons?: readonly ButtonRow[];
  /** Answer this message (a thread, a reply). */
  replyTo?: MessageRef;
}

/** A button press, as the adapter needs it to answer. */
export interface ButtonPress {
  id: string;
  token: string;
  userId: string;
  message?: MessageRef;
  platform?: Readonly<Record<string, unknown>>;
}

/** At most `count` calls in any `perMs` window. */
export interface Rate {
  count: number;
  perMs: number;
}

/**
 * How often the platform lets a bot write. Each call counts against every budget that applies
 * to it: edits against their message's, all of them against their chat's, a group's against
 * the group budget, everything against the global one.
 */
export interface EditBudgets {
  perMessage?: Rate;
  perChat?: Rate;
  perGroup?: Rate;
  global?: Rate;
}

/** The platform's text and button rules. */
export interface TextRules {
  markup: Markup;
  maxTextLength: number;
  /** A message with files carries its text as a caption, often shorter. */
  maxCaptionLength: number;
  maxButtonsPerRow: number;
  maxButtonRows: number;
  /** Telegram's `callback_data`: 64 bytes; Discord's `custom_id`: 100 characters. */
  maxButtonDataBytes: number;
}

/**
 * One chat platform, thin: every call maps to one platform request. Adapters throw
 * {@link RateLimitedError} on a 429; they do not throttle or retry: `ChatOutbox` does that for
 * every platform alike.
 */
export interface ChatAdapter {
  readonly platform: string;
  readonly rules: TextRules;
  readonly editBudgets: EditBudgets;
  /** Largest upload in bytes in that chat (Discord: the interaction's `attachment_size_limit`). */
  uploadLimit(target: ChatTarget): number;
  send(target: ChatTarget, message: OutgoingMessage): Promise<MessageRef>;
  /** Replace the text (or caption) and buttons; files stay. */
  edit(message: MessageRef, content: OutgoingMessage): Promise<void>;
  /**
   * Replace the files too (a sharper preview, the result). A platform that cannot turn this
   * message into one with these files sends a new one and deletes the old: the ref returned is
   * the message that now holds them (chat keeps it, across restarts too).
   *
   * Without files, the message must stop showing the ones it had (a cancelled job must not keep
   * its half-made preview as if it were the result): remove them where the platform can
   * (Discord), else put a neutral picture in their place (Telegram cannot make a photo a text
   * message), else send anew.
   */
  editMedia(message: MessageRef, content: OutgoingMessage): Promise<MessageRef>;
  delete(message: MessageRef): Promise<void>;
  /**
   * Answer at once (Telegram's spinner, Discord's 3 s): before any work. `text` is plain (a
   * callback alert shows no formatting): an adapter that shows it as a message escapes it.
   */
  answerButton(press: ButtonPress, answer: { text?: string; alert?: boolean }): Promise<void>;
}

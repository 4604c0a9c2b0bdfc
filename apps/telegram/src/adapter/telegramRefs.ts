import type { ChatTarget, MessageRef } from '@comfyrelay/chat';
import type { Chat, Message } from 'grammy/types';

/** What a ref remembers about its Telegram message (kept in the store: plain data only). */
interface RefDetails {
  /** A photo, video, animation or document: its text is a caption. */
  media: boolean;
  /** The user's message it answers, so a replacement answers it too. */
  replyTo?: string;
}

export function targetOf(chat: Pick<Chat, 'id' | 'type'>, threadId?: number): ChatTarget {
  return {
    chatId: String(chat.id),
    ...(chat.type === 'group' || chat.type === 'supergroup' ? { isGroup: true } : {}),
    ...(threadId !== undefined ? { threadId: String(threadId) } : {}),
  };
}

/** A ref to a message the bot sent (or one it got in a callback query). */
export function refOf(target: ChatTarget, message: Message, replyTo?: string): MessageRef {
  const details: RefDetails = {
    media: message.text === undefined,
    ...(replyTo !== undefined ? { replyTo } : {}),
  };
  return { target, messageId: String(message.message_id), platform: { ...details } };
}

export function isMedia(ref: MessageRef): boolean {
  return ref.platform?.['media'] === true;
}

export function replyToOf(ref: MessageRef): string | undefined {
  const replyTo = ref.platform?.['replyTo'];
  return typeof replyTo === 'string' ? replyTo : undefined;
}

/** Numeric ids as numbers (what Telegram sends), anything else (`@channel`) as it is. */
export function chatIdOf(target: ChatTarget): number | string {
  return /^-?\d+$/.test(target.chatId) ? Number(target.chatId) : target.chatId;
}

export function messageIdOf(ref: MessageRef): number {
  return Number(ref.messageId);
}

/** The parameters that put a message where its target says and, optionally, answer one. */
export function placement(
  target: ChatTarget,
  replyTo: string | undefined,
): {
  message_thread_id?: number;
  reply_parameters?: { message_id: number; allow_sending_without_reply: boolean };
} {
  return {
    ...(target.threadId !== undefined ? { message_thread_id: Number(target.threadId) } : {}),
    ...(replyTo !== undefined
      ? { reply_parameters: { message_id: Number(replyTo), allow_sending_without_reply: true } }
      : {}),
  };
}

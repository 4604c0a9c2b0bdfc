import type { FakeState } from '../api/method-context.js';
import type { ChatRecord } from '../state/chat-store.js';
import type { CallbackQuery, Message, Update } from '../types.js';
import { CallbackQueryHandle, UserActionHandle, type SkipReason } from './action-handle.js';
import { botSeesMessage } from './privacy-mode.js';
import { detectEntities } from './text-entities.js';
import {
  toChat,
  toUser,
  type ChatInput,
  type PressButtonInput,
  type SendPhotoInput,
  type SendTextInput,
  type UserInput,
} from './user-input.js';

/** Test users acting in chats: each action becomes a Message or CallbackQuery update for the bot. */
export class UserActions {
  constructor(private readonly state: FakeState) {}

  private readonly isPending = (updateId: number): boolean => this.state.updates.has(updateId);

  sendText(input: SendTextInput): UserActionHandle {
    const { record, message } = this.newMessage(input.chat, input.from, input.replyToMessageId);
    message.text = input.text;
    const entities = detectEntities(input.text);
    if (entities.length > 0) message.entities = entities;
    return this.deliverMessage(record, message);
  }

  sendPhoto(input: SendPhotoInput): UserActionHandle {
    const { record, message } = this.newMessage(input.chat, input.from);
    const size =
      input.width !== undefined && input.height !== undefined
        ? { width: input.width, height: input.height }
        : undefined;
    message.photo = this.state.files.addPhoto(input.photo, size);
    if (input.caption !== undefined && input.caption !== '') {
      message.caption = input.caption;
      const entities = detectEntities(input.caption);
      if (entities.length > 0) message.caption_entities = entities;
    }
    return this.deliverMessage(record, message);
  }

  pressButton(input: PressButtonInput): CallbackQueryHandle {
    const record = this.state.chats.open(toChat(input.chat, input.from));
    const stored = record.messages.get(input.message_id);
    if (!stored?.sent) {
      throw new Error(
        `chat ${input.chat.id} has no bot message ${input.message_id} to press a button on`,
      );
    }
    const buttons = stored.message.reply_markup?.inline_keyboard.flat() ?? [];
    if (!buttons.some((button) => button.callback_data === input.data)) {
      throw new Error(
        `message ${input.message_id} has no button with callback_data '${input.data}'`,
      );
    }
    const id = this.state.callbacks.create(input.from.id);
    const query: CallbackQuery = {
      id,
      from: toUser(input.from),
      message: structuredClone(stored.message),
      chat_instance: chatInstance(record.chat.id),
      data: input.data,
    };
    const update = this.state.updates.enqueue('callback_query', (update_id) => ({
      update_id,
      callback_query: query,
    }));
    const skipped = update ? undefined : 'allowed-updates';
    return new CallbackQueryHandle(
      update,
      skipped,
      this.state.events,
      record,
      this.isPending,
      id,
      this.state.callbacks,
    );
  }

  private newMessage(
    chatInput: ChatInput,
    from: UserInput,
    replyToMessageId?: number,
  ): { record: ChatRecord; message: Message } {
    const record = this.state.chats.open(toChat(chatInput, from));
    const message: Message = {
      message_id: this.state.chats.takeMessageId(record),
      from: toUser(from),
      chat: record.chat,
      date: Math.floor(Date.now() / 1000),
    };
    if (replyToMessageId !== undefined) {
      const target = record.messages.get(replyToMessageId);
      if (!target)
        throw new Error(`chat ${chatInput.id} has no message ${replyToMessageId} to reply to`);
      const { reply_to_message: _nested, ...replied } = target.message;
      message.reply_to_message = structuredClone(replied);
    }
    return { record, message };
  }

  private deliverMessage(record: ChatRecord, message: Message): UserActionHandle {
    record.messages.set(message.message_id, { message, deleted: false });
    record.userMessages.push(message);
    let skipped: SkipReason | undefined;
    let update: Update | undefined;
    if (!botSeesMessage(message, this.state.bot)) {
      skipped = 'privacy-mode';
    } else {
      update = this.state.updates.enqueue('message', (update_id) => ({
        update_id,
        message: structuredClone(message),
      }));
      if (!update) skipped = 'allowed-updates';
    }
    return new UserActionHandle(
      update,
      message,
      skipped,
      this.state.events,
      record,
      this.isPending,
    );
  }
}

/** A stable stand-in for Telegram's opaque per-chat chat_instance. */
function chatInstance(chatId: number): string {
  return BigInt.asIntN(64, BigInt(chatId) * 2654435761n + 40503n).toString();
}

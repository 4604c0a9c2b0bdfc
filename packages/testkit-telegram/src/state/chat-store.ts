import { badRequest } from '../api/api-error.js';
import type { ChatActionRecord, SentMessage } from '../records.js';
import type { Chat, Message } from '../types.js';

export interface StoredMessage {
  message: Message;
  /** Set for messages the bot sent. */
  sent?: SentMessage;
  deleted: boolean;
}

export interface ChatRecord {
  chat: Chat;
  messages: Map<number, StoredMessage>;
  botMessages: SentMessage[];
  userMessages: Message[];
  chatActions: ChatActionRecord[];
  nextMessageId: number;
}

/** What a test sees of one chat. The arrays are live: they grow as the bot acts. */
export interface ChatView {
  chat: Chat | undefined;
  /** Every message the bot sent here, in order, deleted ones included (flagged). */
  messages: readonly SentMessage[];
  /** Messages the test's users sent here. */
  userMessages: readonly Message[];
  chatActions: readonly ChatActionRecord[];
}

/** Chats the bot can talk to: those a test user wrote in, or that a test opened. */
export class ChatStore {
  private readonly chats = new Map<number, ChatRecord>();

  /** Registers a chat, or refreshes its title/names; message ids go on where they were. */
  open(chat: Chat): ChatRecord {
    const existing = this.chats.get(chat.id);
    if (existing) {
      existing.chat = { ...existing.chat, ...chat };
      return existing;
    }
    const record: ChatRecord = {
      chat: { ...chat },
      messages: new Map(),
      botMessages: [],
      userMessages: [],
      chatActions: [],
      nextMessageId: 1,
    };
    this.chats.set(chat.id, record);
    return record;
  }

  get(chatId: number): ChatRecord | undefined {
    return this.chats.get(chatId);
  }

  /** Resolves a chat_id parameter (a number, or an @username) like Telegram does. */
  resolve(chatId: string | undefined): ChatRecord {
    if (chatId === undefined || chatId === '') throw badRequest('chat_id is empty');
    const record = /^-?\d+$/.test(chatId)
      ? this.chats.get(Number(chatId))
      : [...this.chats.values()].find((candidate) => `@${candidate.chat.username}` === chatId);
    if (!record) throw badRequest('chat not found');
    return record;
  }

  view(chatId: number): ChatView {
    const record = this.chats.get(chatId);
    return {
      chat: record?.chat,
      messages: record?.botMessages ?? [],
      userMessages: record?.userMessages ?? [],
      chatActions: record?.chatActions ?? [],
    };
  }

  takeMessageId(record: ChatRecord): number {
    return record.nextMessageId++;
  }
}

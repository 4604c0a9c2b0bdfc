import type { Chat, User } from '../types.js';

/** A chat as a test describes it. A private chat's id must be its user's id, as in Telegram. */
export interface ChatInput {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  username?: string;
}

export interface UserInput {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface SendTextInput {
  chat: ChatInput;
  from: UserInput;
  text: string;
  /** Makes the message a reply to this message of the chat. */
  replyToMessageId?: number;
}

export interface SendPhotoInput {
  chat: ChatInput;
  from: UserInput;
  photo: Buffer;
  caption?: string;
  /** Read from PNG/JPEG/GIF headers when not given. */
  width?: number;
  height?: number;
}

export interface PressButtonInput {
  chat: ChatInput;
  from: UserInput;
  /** The bot message carrying the inline keyboard. */
  message_id: number;
  /** The callback_data of the button pressed. */
  data: string;
}

export function toUser(input: UserInput): User {
  const user: User = { id: input.id, is_bot: false, first_name: input.first_name };
  if (input.last_name !== undefined) user.last_name = input.last_name;
  if (input.username !== undefined) user.username = input.username;
  if (input.language_code !== undefined) user.language_code = input.language_code;
  return user;
}

export function toChat(input: ChatInput, from: UserInput): Chat {
  if (input.type === 'private') {
    if (input.id !== from.id) {
      throw new Error(`a private chat's id is its user's id: chat ${input.id} vs user ${from.id}`);
    }
    const chat: Chat = { id: input.id, type: 'private', first_name: from.first_name };
    if (from.last_name !== undefined) chat.last_name = from.last_name;
    if (from.username !== undefined) chat.username = from.username;
    return chat;
  }
  if (input.id >= 0) throw new Error(`group and supergroup ids are negative (got ${input.id})`);
  const chat: Chat = { id: input.id, type: input.type, title: input.title ?? `Group ${-input.id}` };
  if (input.username !== undefined) chat.username = input.username;
  return chat;
}

import { badRequest } from '../api/api-error.js';
import type { FakeTelegramEvents, MessageVersion, SentMessage } from '../records.js';
import type { Message, User } from '../types.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import type { ChatRecord, ChatStore, StoredMessage } from './chat-store.js';
import {
  CONTENT_FIELDS,
  cleanContent,
  contentOf,
  sameContent,
  type MessageContent,
} from './message-content.js';

/** How the bot presented a message, kept in its versions next to the Message content. */
export type Presentation = {
  [K in 'parse_mode' | 'media' | 'reply_markup']?: MessageVersion[K] | undefined;
};

/** The SentMessage fields that mirror its latest version. */
const VERSION_FIELDS = [
  'text',
  'caption',
  'parse_mode',
  'entities',
  'media',
  'reply_markup',
] as const;

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/** Creates, edits and deletes the bot's messages, keeping every version and telling listeners. */
export class BotMessages {
  constructor(
    private readonly chats: ChatStore,
    private readonly bot: User,
    private readonly events: TypedEmitter<FakeTelegramEvents>,
  ) {}

  send(
    record: ChatRecord,
    method: string,
    content: MessageContent,
    presentation: Presentation,
    envelope: { replyTo?: StoredMessage; media_group_id?: string } = {},
  ): SentMessage {
    const message: Message = {
      message_id: this.chats.takeMessageId(record),
      from: this.bot,
      chat: record.chat,
      date: unixNow(),
    };
    if (envelope.media_group_id !== undefined) message.media_group_id = envelope.media_group_id;
    if (envelope.replyTo) message.reply_to_message = withoutReply(envelope.replyTo.message);
    Object.assign(message, cleanContent(content));
    const version = toVersion(method, message, presentation);
    const sent: SentMessage = {
      ...versionFields(version),
      message_id: message.message_id,
      chat_id: record.chat.id,
      deleted: false,
      versions: [version],
      message,
    };
    if (envelope.replyTo) sent.reply_to_message_id = envelope.replyTo.message.message_id;
    if (envelope.media_group_id !== undefined) sent.media_group_id = envelope.media_group_id;
    record.messages.set(message.message_id, { message, sent, deleted: false });
    record.botMessages.push(sent);
    this.events.emit('message', sent);
    return sent;
  }

  /**
   * Replaces the content fields in `changes` and the presentation fields in `presentation`
   * (an explicit undefined removes one, an absent key keeps it); 400 when nothing changes.
   */
  edit(
    stored: StoredMessage,
    method: string,
    changes: Partial<MessageContent>,
    presentation: Partial<Presentation>,
  ): SentMessage {
    const sent = stored.sent;
    if (!sent) throw badRequest("message can't be edited");
    const next: MessageContent = { ...contentOf(stored.message) };
    for (const [field, value] of Object.entries(changes)) {
      (next as Record<string, unknown>)[field] = value;
    }
    if (sameContent(next, contentOf(stored.message))) throw badRequest(NOT_MODIFIED);
    for (const field of CONTENT_FIELDS) delete stored.message[field];
    Object.assign(stored.message, cleanContent(next));
    stored.message.edit_date = unixNow();
    const previous = sent.versions.at(-1)!;
    const kept: Presentation = {};
    if (previous.parse_mode !== undefined) kept.parse_mode = previous.parse_mode;
    if (previous.media !== undefined) kept.media = previous.media;
    if (previous.reply_markup !== undefined) kept.reply_markup = previous.reply_markup;
    const version = toVersion(method, stored.message, { ...kept, ...presentation });
    sent.versions.push(version);
    for (const field of VERSION_FIELDS) delete sent[field];
    Object.assign(sent, versionFields(version));
    this.events.emit('edit', sent);
    return sent;
  }

  delete(record: ChatRecord, stored: StoredMessage): void {
    stored.deleted = true;
    record.messages.delete(stored.message.message_id);
    if (!stored.sent) return;
    stored.sent.deleted = true;
    this.events.emit('delete', stored.sent);
  }
}

function toVersion(
  method: string,
  message: Message,
  presentation: Partial<Presentation>,
): MessageVersion {
  const version: MessageVersion = { method, at: Date.now() };
  const text = message.text ?? message.caption;
  if (message.text !== undefined) version.text = message.text;
  if (message.caption !== undefined) version.caption = message.caption;
  const entities = message.entities ?? message.caption_entities;
  if (text !== undefined && entities !== undefined) version.entities = entities;
  for (const [field, value] of Object.entries(presentation)) {
    if (value !== undefined) (version as unknown as Record<string, unknown>)[field] = value;
  }
  return version;
}

function versionFields(version: MessageVersion): Omit<MessageVersion, 'method' | 'at'> {
  const { method: _method, at: _at, ...fields } = version;
  return fields;
}

function withoutReply(message: Message): Message {
  const { reply_to_message: _nested, ...rest } = message;
  return rest;
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

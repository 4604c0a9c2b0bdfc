import type {
  BotCommand,
  BotCommandScope,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  Update,
} from './types.js';

export type MediaType = 'photo' | 'document' | 'video' | 'animation';

/** A file the bot attached to a message: uploaded bytes, a reused file_id, or a URL. */
export interface SentMedia {
  type: MediaType;
  file_id: string;
  /** Absent only when the bot passed a URL (the fake does not fetch URLs). */
  bytes?: Buffer;
  url?: string;
  file_name?: string;
  mime_type?: string;
}

/** One state of a bot message: as sent, or after one edit. */
export interface MessageVersion {
  /** The method that produced this state: sendMessage, editMessageText, … */
  method: string;
  /** Date.now() when the fake accepted the call. */
  at: number;
  text?: string;
  caption?: string;
  parse_mode?: string;
  /** Entities after parsing parse_mode (or as passed). */
  entities?: MessageEntity[];
  media?: SentMedia;
  /** The markup as the bot passed it (reply keyboards included); undefined when removed. */
  reply_markup?: InlineKeyboardMarkup | Record<string, unknown>;
}

/** A message the bot sent. The top-level content fields mirror the latest version. */
export interface SentMessage extends Omit<MessageVersion, 'method' | 'at'> {
  message_id: number;
  chat_id: number;
  reply_to_message_id?: number;
  media_group_id?: string;
  deleted: boolean;
  /** versions[0] is the message as sent, then every edit in order. */
  versions: MessageVersion[];
  /** The Message object as Telegram would return it now. */
  message: Message;
}

export interface ApiCall {
  method: string;
  /** Parsed parameters; uploaded files appear as `{ file: name, size }`. */
  params: Record<string, unknown>;
  /** HTTP status of the answer; 0 when the client went away before it. */
  status: number;
  ok: boolean;
  description?: string;
  /** Date.now() when the request arrived and when it was answered. */
  time: number;
  answeredAt: number;
}

export type FloodReason = 'chat' | 'group' | 'global' | 'scripted' | 'window';

export interface TooManyRequestsRecord {
  method: string;
  chatId?: number;
  retryAfterS: number;
  /** What triggered it; 'window' means the call came while an earlier retry_after was still running. */
  reason: FloodReason;
  scripted: boolean;
  /** True when the bot called again for this chat inside a retry_after window it had been told about. */
  avoidable: boolean;
  time: number;
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  time: number;
}

export interface ChatActionRecord {
  chat_id: number;
  action: string;
  time: number;
}

export interface CommandsChange {
  scope: BotCommandScope;
  language_code: string;
  commands: BotCommand[];
}

export interface WebhookDelivery {
  update_id: number;
  /** HTTP status of the webhook's answer; 0 when the connection failed. */
  status: number;
  error?: string;
  time: number;
}

export interface DeliveredUpdate {
  update: Update;
  via: 'polling' | 'webhook';
}

/** Events a test can wait on with `telegram.nextEvent(kind, predicate?, timeoutMs?)`. */
export interface FakeTelegramEvents {
  call: ApiCall;
  message: SentMessage;
  edit: SentMessage;
  delete: SentMessage;
  'callback-answer': CallbackAnswer;
  commands: CommandsChange;
  'chat-action': ChatActionRecord;
  'too-many-requests': TooManyRequestsRecord;
  /** A getUpdates request started waiting for updates (a long poll is open). */
  'long-poll': { offset: number; limit: number; timeout: number };
  /** An update was handed to the bot (in a getUpdates answer, or accepted by the webhook). */
  update: DeliveredUpdate;
  /** Updates left the queue: confirmed by a getUpdates offset, accepted by the webhook, or dropped. */
  confirm: { update_ids: number[] };
  webhook: WebhookDelivery;
}

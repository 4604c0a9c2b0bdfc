import type { ChatRecord, StoredMessage } from '../../state/chat-store.js';
import { badRequest } from '../api-error.js';
import type { FakeState } from '../method-context.js';
import type { Params } from '../params.js';

export interface FoundMessage {
  record: ChatRecord;
  stored: StoredMessage;
}

/** The message named by chat_id + message_id; `what` words the 400 ("message to edit not found"). */
export function findMessage(state: FakeState, params: Params, what: string): FoundMessage {
  if (params.has('inline_message_id')) {
    throw badRequest('the fake Telegram does not support inline messages');
  }
  const record = state.chats.resolve(params.string('chat_id'));
  const messageId = params.int('message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const stored = record.messages.get(messageId);
  if (!stored || stored.deleted) throw badRequest(`${what} not found`);
  return { record, stored };
}

/** The message a send replies to, from reply_parameters or the older reply_to_message_id. */
export function findReplyTarget(params: Params, record: ChatRecord): StoredMessage | undefined {
  const replyParameters = params.json('reply_parameters', 'reply parameters') as
    { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
  const messageId = replyParameters
    ? Number(replyParameters.message_id)
    : params.int('reply_to_message_id');
  if (messageId === undefined || !messageId) return undefined;
  const allowWithout = replyParameters
    ? replyParameters.allow_sending_without_reply === true
    : params.bool('allow_sending_without_reply');
  const stored = record.messages.get(messageId);
  if (stored && !stored.deleted) return stored;
  if (allowWithout) return undefined;
  throw badRequest('message to be replied not found');
}

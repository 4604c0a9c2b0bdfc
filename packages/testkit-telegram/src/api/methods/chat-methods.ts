import type { ChatActionRecord } from '../../records.js';
import { badRequest } from '../api-error.js';
import type { MethodDefinition } from '../method-context.js';
import { findMessage } from './message-lookup.js';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export const sendChatAction: MethodDefinition = {
  name: 'sendChatAction',
  handler: ({ params, state }) => {
    const record = state.chats.resolve(params.string('chat_id'));
    const action = params.string('action') ?? '';
    if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
    const entry: ChatActionRecord = { chat_id: record.chat.id, action, time: Date.now() };
    record.chatActions.push(entry);
    state.events.emit('chat-action', entry);
    return true;
  },
};

export const deleteMessage: MethodDefinition = {
  name: 'deleteMessage',
  handler: ({ params, state }) => {
    const { record, stored } = findMessage(state, params, 'message to delete');
    state.messages.delete(record, stored);
    return true;
  },
};

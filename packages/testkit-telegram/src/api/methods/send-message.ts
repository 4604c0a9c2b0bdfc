import { readReplyMarkup } from '../../validation/reply-markup.js';
import type { MethodDefinition } from '../method-context.js';
import { findReplyTarget } from './message-lookup.js';
import { readMessageText } from './text-checks.js';

export const sendMessage: MethodDefinition = {
  name: 'sendMessage',
  counted: true,
  handler: ({ params, state }) => {
    const record = state.chats.resolve(params.string('chat_id'));
    const formatted = readMessageText(params, state.limits);
    const markup = readReplyMarkup(params);
    const replyTo = findReplyTarget(params, record);
    const sent = state.messages.send(
      record,
      'sendMessage',
      { text: formatted.text, entities: formatted.entities, reply_markup: markup?.inline },
      { parse_mode: params.string('parse_mode'), reply_markup: markup?.passed },
      replyTo ? { replyTo } : {},
    );
    return structuredClone(sent.message);
  },
};

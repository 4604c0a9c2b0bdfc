import type { MessageContent } from '../../state/message-content.js';
import { readReplyMarkup } from '../../validation/reply-markup.js';
import { badRequest } from '../api-error.js';
import type { MethodDefinition } from '../method-context.js';
import { readInputMedia } from './input-media.js';
import { findMessage } from './message-lookup.js';
import { readCaption, readMessageText } from './text-checks.js';

/** Like Telegram, an edit without reply_markup removes the inline keyboard. */
export const editMessageText: MethodDefinition = {
  name: 'editMessageText',
  counted: true,
  handler: ({ params, state }) => {
    const { stored } = findMessage(state, params, 'message to edit');
    if (stored.sent && stored.message.text === undefined) {
      throw badRequest('there is no text in the message to edit');
    }
    const formatted = readMessageText(params, state.limits);
    const markup = readReplyMarkup(params);
    const sent = state.messages.edit(
      stored,
      'editMessageText',
      { text: formatted.text, entities: formatted.entities, reply_markup: markup?.inline },
      { parse_mode: params.string('parse_mode'), reply_markup: markup?.passed },
    );
    return structuredClone(sent.message);
  },
};

export const editMessageCaption: MethodDefinition = {
  name: 'editMessageCaption',
  counted: true,
  handler: ({ params, state }) => {
    const { stored } = findMessage(state, params, 'message to edit');
    if (stored.sent && stored.message.text !== undefined) {
      throw badRequest('there is no caption in the message to edit');
    }
    const caption = readCaption(
      params.string('caption'),
      params.string('parse_mode'),
      params.json('caption_entities', 'caption entities'),
      state.limits,
    );
    const markup = readReplyMarkup(params);
    const sent = state.messages.edit(
      stored,
      'editMessageCaption',
      { caption: caption?.text, caption_entities: caption?.entities, reply_markup: markup?.inline },
      { parse_mode: params.string('parse_mode'), reply_markup: markup?.passed },
    );
    return structuredClone(sent.message);
  },
};

export const editMessageMedia: MethodDefinition = {
  name: 'editMessageMedia',
  counted: true,
  handler: ({ params, state }) => {
    const { stored } = findMessage(state, params, 'message to edit');
    if (stored.sent && stored.message.text !== undefined) {
      throw badRequest("message media can't be edited");
    }
    const value = params.json('media', 'input media');
    if (value === undefined) throw badRequest('parameter "media" is required');
    const markup = readReplyMarkup(params);
    const item = readInputMedia(value, params, state, stored.message.media_group_id !== undefined);
    const changes: Partial<MessageContent> = {
      photo: undefined,
      document: undefined,
      video: undefined,
      animation: undefined,
      ...item.media.content,
      caption: item.caption?.text,
      caption_entities: item.caption?.entities,
      reply_markup: markup?.inline,
    };
    const sent = state.messages.edit(stored, 'editMessageMedia', changes, {
      parse_mode: item.parseMode,
      media: item.media.sent,
      reply_markup: markup?.passed,
    });
    return structuredClone(sent.message);
  },
};

export const editMessageReplyMarkup: MethodDefinition = {
  name: 'editMessageReplyMarkup',
  counted: true,
  handler: ({ params, state }) => {
    const { stored } = findMessage(state, params, 'message to edit');
    const markup = readReplyMarkup(params);
    const sent = state.messages.edit(
      stored,
      'editMessageReplyMarkup',
      { reply_markup: markup?.inline },
      { reply_markup: markup?.passed },
    );
    return structuredClone(sent.message);
  },
};

import type { MediaType } from '../../records.js';
import { readReplyMarkup } from '../../validation/reply-markup.js';
import { badRequest } from '../api-error.js';
import type { MethodDefinition } from '../method-context.js';
import { resolveMedia } from './resolve-media.js';
import { findReplyTarget } from './message-lookup.js';
import { readCaption } from './text-checks.js';

/** sendPhoto, sendDocument, sendVideo and sendAnimation: one file plus an optional caption. */
function sendMediaMethod(name: string, type: MediaType): MethodDefinition {
  return {
    name,
    counted: true,
    handler: ({ params, state }) => {
      const record = state.chats.resolve(params.string('chat_id'));
      const caption = readCaption(
        params.string('caption'),
        params.string('parse_mode'),
        params.json('caption_entities', 'caption entities'),
        state.limits,
      );
      const markup = readReplyMarkup(params);
      const replyTo = findReplyTarget(params, record);
      const ref = params.file(type);
      if (!ref) throw badRequest(`there is no ${type} in the request`);
      const media = resolveMedia(state, type, ref, {
        width: params.int('width'),
        height: params.int('height'),
        duration: params.int('duration'),
      });
      const sent = state.messages.send(
        record,
        name,
        {
          ...media.content,
          caption: caption?.text,
          caption_entities: caption?.entities,
          reply_markup: markup?.inline,
        },
        {
          parse_mode: params.string('parse_mode'),
          media: media.sent,
          reply_markup: markup?.passed,
        },
        replyTo ? { replyTo } : {},
      );
      return structuredClone(sent.message);
    },
  };
}

export const sendPhoto = sendMediaMethod('sendPhoto', 'photo');
export const sendDocument = sendMediaMethod('sendDocument', 'document');
export const sendVideo = sendMediaMethod('sendVideo', 'video');
export const sendAnimation = sendMediaMethod('sendAnimation', 'animation');

import { randomInt } from 'node:crypto';
import { badRequest } from '../api-error.js';
import type { MethodDefinition } from '../method-context.js';
import { readInputMedia, type ParsedInputMedia } from './input-media.js';
import { findReplyTarget } from './message-lookup.js';

const MIN_ITEMS = 2;
const MAX_ITEMS = 10;

export const sendMediaGroup: MethodDefinition = {
  name: 'sendMediaGroup',
  counted: true,
  handler: ({ params, state }) => {
    const record = state.chats.resolve(params.string('chat_id'));
    const items = params.json('media', 'media');
    if (items === undefined) throw badRequest('parameter "media" is required');
    if (!Array.isArray(items)) throw badRequest('expected an Array of InputMedia');
    if (items.length === 0) throw badRequest('there are no messages to send');
    if (items.length > MAX_ITEMS) throw badRequest('too many messages to send as an album');
    if (items.length < MIN_ITEMS) throw badRequest('media group must include 2-10 items');
    const replyTo = findReplyTarget(params, record);
    const parsed = items.map((item) => readInputMedia(item, params, state, true));
    checkMixing(parsed);
    const media_group_id = String(randomInt(1, 2 ** 47) * 1000 + randomInt(1000));
    const sent = parsed.map((item) =>
      state.messages.send(
        record,
        'sendMediaGroup',
        {
          ...item.media.content,
          caption: item.caption?.text,
          caption_entities: item.caption?.entities,
        },
        { parse_mode: item.parseMode, media: item.media.sent },
        replyTo ? { replyTo, media_group_id } : { media_group_id },
      ),
    );
    return sent.map((message) => structuredClone(message.message));
  },
};

/** Documents form albums only with documents; photos and videos mix freely. */
function checkMixing(items: ParsedInputMedia[]): void {
  const types = new Set(items.map((item) => item.media.sent.type));
  if (types.size > 1 && types.has('document')) {
    throw badRequest("document can't be mixed with other media types");
  }
}

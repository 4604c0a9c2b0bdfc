import type { FakeState } from './fake-state.js';
import type { FileInput, UserRef } from './interactions/interaction-inputs.js';
import { resolvePlace } from './interactions/interaction-payload.js';
import { MessageType, type FakeMessage } from './state/fake-message.js';

export interface UserMessageInput {
  /** Channel id or name; the first guild's first text channel by default. */
  channelId?: string;
  guildId?: string;
  user?: UserRef;
  content?: string;
  files?: FileInput[];
  /** Reply to this message. */
  replyTo?: FakeMessage | string;
}

/** A message a human posts in a channel: the bot gets MESSAGE_CREATE (if its intents allow). */
export function postUserMessage(state: FakeState, input: UserMessageInput): FakeMessage {
  const place = resolvePlace(state, input);
  const replyTo =
    typeof input.replyTo === 'string' ? state.messages.get(input.replyTo) : input.replyTo;
  const attachments = (input.files ?? []).map((file) =>
    state.attachments.add({
      channelId: place.channel.id,
      filename: file.filename,
      bytes: Buffer.from(file.bytes),
      contentType: file.contentType,
    }),
  );
  return state.messages.create({
    channelId: place.channel.id,
    guildId: place.guild.id,
    author: place.user,
    type: replyTo ? MessageType.Reply : MessageType.Default,
    content: input.content ?? '',
    embeds: [],
    components: [],
    attachments,
    flags: 0,
    reference: replyTo
      ? { messageId: replyTo.id, channelId: replyTo.channelId, guildId: replyTo.guildId }
      : undefined,
  });
}

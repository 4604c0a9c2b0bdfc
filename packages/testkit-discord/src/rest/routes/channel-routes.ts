import type { FakeState } from '../../fake-state.js';
import { Errors, invalidFormBody } from '../../http/api-error.js';
import { apiChannel } from '../../state/api-objects.js';
import type { FakeChannel } from '../../state/directory-types.js';
import { MessageType, type FakeMessage, type MessageReference } from '../../state/fake-message.js';
import { apiMessage } from '../../state/message-api.js';
import { createdFields, editedFields, type PayloadContext } from '../message-payload.js';
import { jsonObject, noContent, ok, type RestRequest, type RestRoute } from '../rest-route.js';

const MANAGE_MESSAGES = 1n << 13n;

export function channelRoutes(state: FakeState): RestRoute[] {
  const { directory, messages } = state;
  const bot = directory.bot;

  const channelOf = ({ params }: RestRequest): FakeChannel => {
    const channel = directory.findChannel(params['channel'] ?? '');
    if (!channel) throw Errors.unknownChannel();
    return channel;
  };
  /** A message a bot can see through the channel routes: not deleted, not ephemeral. */
  const messageOf = (request: RestRequest): FakeMessage => {
    const message = messages.live(channelOf(request).id, request.params['message'] ?? '');
    if (!message || message.ephemeral) throw Errors.unknownMessage();
    return message;
  };
  const payloadContext = (channel: FakeChannel): PayloadContext => ({
    channelId: channel.id,
    uploadLimitBytes: directory.guildOfChannel(channel).uploadLimitBytes,
    attachments: state.attachments,
    path: '',
    allowEphemeral: false,
  });

  const createMessage = (request: RestRequest) => {
    const channel = channelOf(request);
    const json = jsonObject(request.json);
    const fields = createdFields({ json, files: request.files }, payloadContext(channel));
    if (fields.enforceNonce && fields.nonce !== undefined) {
      const duplicate = messages.findByNonce(channel.id, bot.id, fields.nonce);
      if (duplicate) return ok(apiMessage(duplicate, messages));
    }
    const reference = replyReference(json['message_reference'], channel);
    const message = messages.create({
      channelId: channel.id,
      guildId: channel.guildId,
      author: bot,
      type: reference ? MessageType.Reply : MessageType.Default,
      ...fields,
      reference,
    });
    return ok(apiMessage(message, messages));
  };

  const replyReference = (raw: unknown, channel: FakeChannel): MessageReference | undefined => {
    if (raw === undefined || raw === null) return undefined;
    const reference = jsonObject(raw);
    const channelId =
      typeof reference['channel_id'] === 'string' ? reference['channel_id'] : channel.id;
    const target = messages.live(channelId, String(reference['message_id']));
    if (target && !target.ephemeral) {
      return { messageId: target.id, channelId, guildId: target.guildId };
    }
    if (reference['fail_if_not_exists'] === false) return undefined;
    throw invalidFormBody([
      {
        path: 'message_reference',
        code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE',
        message: 'Unknown message',
      },
    ]);
  };

  return [
    {
      method: 'GET',
      template: '/channels/{channel}',
      auth: 'bot',
      bucket: 'channel',
      handle: (request) => ok(apiChannel(channelOf(request), { withGuildId: true })),
    },
    {
      method: 'GET',
      template: '/channels/{channel}/messages',
      auth: 'bot',
      bucket: 'messages-list',
      handle: (request) => {
        const channel = channelOf(request);
        const visible = messages.inChannel(channel.id).filter((m) => !m.deleted && !m.ephemeral);
        return ok(pageOf(visible, request.query).map((m) => apiMessage(m, messages)));
      },
    },
    {
      method: 'GET',
      template: '/channels/{channel}/messages/{message}',
      auth: 'bot',
      bucket: 'message-get',
      handle: (request) => ok(apiMessage(messageOf(request), messages)),
    },
    {
      method: 'POST',
      template: '/channels/{channel}/messages',
      auth: 'bot',
      bucket: 'message-create',
      handle: createMessage,
    },
    {
      method: 'PATCH',
      template: '/channels/{channel}/messages/{message}',
      auth: 'bot',
      bucket: 'message-edit',
      handle: (request) => {
        const message = messageOf(request);
        if (message.author.id !== bot.id) throw Errors.cannotEditOthersMessage();
        const input = { json: jsonObject(request.json), files: request.files };
        const channel = channelOf(request);
        messages.edit(message, editedFields(message, input, payloadContext(channel)));
        return ok(apiMessage(message, messages));
      },
    },
    {
      method: 'DELETE',
      template: '/channels/{channel}/messages/{message}',
      auth: 'bot',
      bucket: 'message-delete',
      handle: (request) => {
        const message = messageOf(request);
        if (message.author.id !== bot.id) {
          const guild = directory.guildOfChannel(channelOf(request));
          const me = directory.ensureMember(guild, bot);
          if ((directory.memberPermissions(guild, me) & MANAGE_MESSAGES) === 0n) {
            throw Errors.missingPermissions();
          }
        }
        messages.delete(message);
        return noContent();
      },
    },
    {
      method: 'POST',
      template: '/channels/{channel}/typing',
      auth: 'bot',
      bucket: 'typing',
      handle: (request) => {
        channelOf(request);
        return noContent();
      },
    },
  ];
}

/** GET messages: newest first, `limit` 1–100 (50), `before` / `after` by id. */
function pageOf(list: FakeMessage[], query: URLSearchParams): FakeMessage[] {
  const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50) || 50));
  const before = query.get('before');
  const after = query.get('after');
  let selected = [...list];
  if (before) selected = selected.filter((m) => BigInt(m.id) < BigInt(before));
  if (after) {
    selected = selected.filter((m) => BigInt(m.id) > BigInt(after)).slice(0, limit);
    return selected.reverse();
  }
  return selected.reverse().slice(0, limit);
}

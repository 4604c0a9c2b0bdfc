import type { ApiObject } from '../state/api-objects.js';
import type { FakeMessage } from '../state/fake-message.js';
import { apiGatewayMessage } from '../state/message-api.js';
import type { MessageStore, MessageStoreEvents } from '../state/message-store.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import type { GatewayHub } from './gateway-hub.js';
import type { GatewaySession } from './gateway-session.js';
import { Intent } from './protocol.js';

/** Turns message changes into MESSAGE_CREATE / UPDATE / DELETE dispatches, as Discord does. */
export function broadcastMessages(
  events: TypedEmitter<MessageStoreEvents>,
  store: MessageStore,
  hub: GatewayHub,
  botId: string,
): void {
  const payloadFor = (message: FakeMessage) => (session: GatewaySession) =>
    withoutUnreadableContent(apiGatewayMessage(message, store), message, session, botId);
  events.on('message-create', ({ message }) => {
    // Ephemeral messages exist only for the one user; they never reach the gateway.
    if (!message.ephemeral) hub.dispatch('MESSAGE_CREATE', payloadFor(message), message.guildId);
  });
  events.on('message-update', ({ message }) => {
    if (!message.ephemeral) hub.dispatch('MESSAGE_UPDATE', payloadFor(message), message.guildId);
  });
  events.on('message-delete', ({ message }) => {
    if (message.ephemeral) return;
    hub.dispatch(
      'MESSAGE_DELETE',
      {
        id: message.id,
        channel_id: message.channelId,
        ...(message.guildId !== null ? { guild_id: message.guildId } : {}),
      },
      message.guildId,
    );
  });
}

/**
 * Without the MESSAGE_CONTENT intent a bot sees content, embeds, attachments and components only
 * of its own messages, of DMs, and of messages that mention it.
 */
function withoutUnreadableContent(
  payload: ApiObject,
  message: FakeMessage,
  session: GatewaySession,
  botId: string,
): ApiObject {
  const readable =
    (session.identity.intents & Intent.MessageContent) !== 0 ||
    message.author.id === botId ||
    message.guildId === null ||
    message.content.includes(`<@${botId}>`);
  if (readable) return payload;
  return { ...payload, content: '', embeds: [], attachments: [], components: [] };
}

import { discordTimestamp } from '../util/discord-time.js';
import { apiUser, type ApiObject } from './api-objects.js';
import { apiAttachment } from './attachment-store.js';
import type { FakeMessage, MessageInteractionLink } from './fake-message.js';
import type { MessageStore } from './message-store.js';

/** The message object as the REST API and the gateway send it. */
export function apiMessage(message: FakeMessage, store: MessageStore, depth = 0): ApiObject {
  const referenced = message.reference ? store.get(message.reference.messageId) : undefined;
  return {
    type: message.type,
    content: message.content,
    mentions: [],
    mention_roles: [],
    attachments: message.attachments.map(apiAttachment),
    embeds: message.embeds,
    timestamp: discordTimestamp(message.createdAt),
    edited_timestamp: message.editedAt === null ? null : discordTimestamp(message.editedAt),
    flags: message.flags,
    components: message.components,
    id: message.id,
    channel_id: message.channelId,
    author: apiUser(message.author),
    pinned: false,
    mention_everyone: false,
    tts: message.tts,
    ...(message.nonce !== undefined ? { nonce: message.nonce } : {}),
    ...(message.webhookId !== null ? { webhook_id: message.webhookId } : {}),
    ...(message.applicationId !== null ? { application_id: message.applicationId } : {}),
    ...(message.interaction ? interactionFields(message.interaction) : {}),
    ...(message.reference
      ? {
          message_reference: {
            type: 0,
            message_id: message.reference.messageId,
            channel_id: message.reference.channelId,
            ...(message.reference.guildId !== null ? { guild_id: message.reference.guildId } : {}),
          },
          // Discord nests one level only: the referenced message carries no referenced_message.
          referenced_message:
            referenced && !referenced.deleted && depth === 0
              ? apiMessage(referenced, store, depth + 1)
              : null,
        }
      : {}),
  };
}

/** MESSAGE_CREATE/MESSAGE_UPDATE also carry guild_id (and the author's member, omitted here). */
export function apiGatewayMessage(message: FakeMessage, store: MessageStore): ApiObject {
  return {
    ...apiMessage(message, store),
    ...(message.guildId !== null ? { guild_id: message.guildId } : {}),
  };
}

function interactionFields(link: MessageInteractionLink): ApiObject {
  const owners = link.guildId !== null ? { '0': link.guildId } : { '1': link.user.id };
  return {
    interaction_metadata: {
      id: link.id,
      type: link.type,
      user: apiUser(link.user),
      authorizing_integration_owners: owners,
      ...(link.commandName !== undefined ? { name: link.commandName } : {}),
      ...(link.commandType !== undefined ? { command_type: link.commandType } : {}),
      ...(link.originalResponseMessageId !== undefined
        ? { original_response_message_id: link.originalResponseMessageId }
        : {}),
    },
    // Deprecated by Discord but still sent.
    interaction: {
      id: link.id,
      type: link.type,
      name: link.commandName ?? '',
      user: apiUser(link.user),
    },
  };
}

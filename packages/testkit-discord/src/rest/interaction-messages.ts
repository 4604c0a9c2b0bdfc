import type { FakeState } from '../fake-state.js';
import { Errors } from '../http/api-error.js';
import type { UploadedFile } from '../http/request-payload.js';
import type { ApiObject } from '../state/api-objects.js';
import {
  MessageFlag,
  MessageType,
  type FakeMessage,
  type MessageInteractionLink,
} from '../state/fake-message.js';
import { InteractionType, type InteractionRecord } from '../state/interaction-record.js';
import { createdFields, editedFields, type PayloadContext } from './message-payload.js';

export interface MessageBody {
  json: ApiObject;
  files: UploadedFile[];
  /** Where the message fields sit in the request body, for error paths: '' or 'data'. */
  path: string;
}

/** Creating and editing the messages that answer an interaction. */
export class InteractionMessages {
  constructor(private readonly state: FakeState) {}

  createOriginal(
    record: InteractionRecord,
    body: MessageBody,
    options: { loading: boolean },
  ): FakeMessage {
    const context = this.context(record, body.path);
    const fields = options.loading
      ? {
          content: '',
          embeds: [],
          components: [],
          attachments: [],
          flags: deferFlags(body.json),
          tts: false,
        }
      : createdFields(body, context);
    const message = this.state.messages.create({
      channelId: record.channelId,
      guildId: record.guildId,
      author: this.state.directory.bot,
      type: originalMessageType(record),
      ...fields,
      nonce: undefined,
      webhookId: this.state.config.applicationId,
      applicationId: this.state.config.applicationId,
      interaction: this.link(record, undefined),
    });
    record.originalMessageId = message.id;
    record.deferredLoading = options.loading;
    return message;
  }

  createFollowUp(record: InteractionRecord, body: MessageBody): FakeMessage {
    const original = this.original(record);
    // Discord: the first follow-up after a deferred reply fills the loading message instead.
    if (record.deferredLoading && original && !original.deleted) {
      return this.edit(record, original, body);
    }
    const fields = createdFields(body, this.context(record, body.path));
    const message = this.state.messages.create({
      channelId: record.channelId,
      guildId: record.guildId,
      author: this.state.directory.bot,
      type: MessageType.Default,
      ...fields,
      nonce: undefined,
      webhookId: this.state.config.applicationId,
      applicationId: this.state.config.applicationId,
      interaction: this.link(record, record.originalMessageId),
    });
    record.followUpIds.push(message.id);
    return message;
  }

  edit(record: InteractionRecord, message: FakeMessage, body: MessageBody): FakeMessage {
    this.state.messages.edit(message, editedFields(message, body, this.context(record, body.path)));
    if (message.id === record.originalMessageId) record.deferredLoading = false;
    return message;
  }

  original(record: InteractionRecord): FakeMessage | undefined {
    return record.originalMessageId === undefined
      ? undefined
      : this.state.messages.get(record.originalMessageId);
  }

  /** '@original' or the id of the original response or one of the follow-ups. */
  find(record: InteractionRecord, ref: string): FakeMessage {
    const id = ref === '@original' ? record.originalMessageId : ref;
    const belongs =
      id !== undefined && (id === record.originalMessageId || record.followUpIds.includes(id));
    const message = belongs ? this.state.messages.get(id) : undefined;
    if (!message || message.deleted) throw Errors.unknownMessage();
    return message;
  }

  private context(record: InteractionRecord, path: string): PayloadContext {
    const channel = this.state.directory.findChannel(record.channelId);
    const guild = channel ? this.state.directory.guildOfChannel(channel) : undefined;
    return {
      channelId: record.channelId,
      uploadLimitBytes: guild?.uploadLimitBytes ?? Number.POSITIVE_INFINITY,
      attachments: this.state.attachments,
      path,
      allowEphemeral: true,
    };
  }

  private link(
    record: InteractionRecord,
    originalResponseMessageId: string | undefined,
  ): MessageInteractionLink {
    return {
      id: record.id,
      type: record.type,
      user: record.user,
      commandName: record.commandName,
      commandType: record.commandType,
      guildId: record.guildId,
      originalResponseMessageId,
    };
  }
}

function deferFlags(data: ApiObject): number {
  const requested = typeof data['flags'] === 'number' ? data['flags'] : 0;
  return MessageFlag.Loading | (requested & MessageFlag.Ephemeral);
}

function originalMessageType(record: InteractionRecord): number {
  if (record.type !== InteractionType.ApplicationCommand) return MessageType.Default;
  return record.commandType === 1 ? MessageType.ChatInputCommand : MessageType.ContextMenuCommand;
}

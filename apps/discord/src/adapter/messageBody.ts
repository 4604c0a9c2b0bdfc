import type { ButtonRow, MessageRef, OutgoingFile, OutgoingMessage } from '@comfyrelay/chat';
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type RawFile,
} from 'discord.js';
import { DISCORD_RULES } from './discordRules.js';

/** A message as Discord's REST routes take it: the JSON part and the uploads. */
export interface MessageBody {
  body: Record<string, unknown>;
  files?: RawFile[];
}

const STYLES = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  danger: ButtonStyle.Danger,
} as const;

const MAX_LABEL = 80;

/**
 * Text and buttons, plus the files when `withFiles` (an edit that replaces them: the
 * `attachments` list then names only the new uploads, so old ones go); `asReply` for a new
 * message that answers `replyTo`. Mentions never ping: a prompt may contain `@everyone`.
 */
export function messageBody(
  message: OutgoingMessage,
  options: { withFiles: boolean; ephemeral?: boolean; asReply?: boolean },
): MessageBody {
  const body: Record<string, unknown> = {
    content: message.text.slice(0, DISCORD_RULES.maxTextLength),
    allowed_mentions: { parse: [] },
  };
  if (message.buttons) body['components'] = message.buttons.map(actionRow);
  if (options.ephemeral) body['flags'] = 1 << 6;
  if (options.asReply && message.replyTo)
    body['message_reference'] = replyReference(message.replyTo);
  if (!options.withFiles) return { body };
  const files = message.files ?? [];
  body['attachments'] = files.map((file, index) => ({ id: index, filename: file.filename }));
  return { body, files: files.map(rawFile) };
}

function actionRow(row: ButtonRow): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: row.map((button) => ({
      type: ComponentType.Button,
      style: STYLES[button.style ?? 'secondary'],
      label: button.label.slice(0, MAX_LABEL),
      custom_id: button.token,
    })),
  };
}

function replyReference(ref: MessageRef): Record<string, unknown> {
  // A reply to a message someone deleted meanwhile is still sent, as a plain message.
  return { message_id: ref.messageId, channel_id: ref.target.chatId, fail_if_not_exists: false };
}

function rawFile(file: OutgoingFile): RawFile {
  return { name: file.filename, data: Buffer.from(file.data), contentType: file.mime };
}

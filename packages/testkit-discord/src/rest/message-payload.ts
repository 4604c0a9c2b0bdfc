import { Errors, invalidFormBody, type FieldError } from '../http/api-error.js';
import type { UploadedFile } from '../http/request-payload.js';
import type { ApiObject } from '../state/api-objects.js';
import type { FakeAttachment } from '../state/attachment-store.js';
import { MessageFlag, type FakeMessage } from '../state/fake-message.js';
import type { RevisionChanges } from '../state/message-store.js';
import { normalizeComponents } from './components.js';
import { normalizeEmbeds } from './embeds.js';
import { resolveAttachments, type AttachmentContext } from './resolve-attachments.js';

export interface MessageInput {
  json: ApiObject;
  files: UploadedFile[];
}

export interface CreatedFields {
  content: string;
  embeds: ApiObject[];
  components: ApiObject[];
  attachments: FakeAttachment[];
  flags: number;
  tts: boolean;
  nonce: string | number | undefined;
  enforceNonce: boolean;
}

export type PayloadContext = Omit<AttachmentContext, 'ephemeral'> & {
  /** Interaction responses and follow-ups may be ephemeral; channel messages may not. */
  allowEphemeral: boolean;
};

const SETTABLE_FLAGS =
  MessageFlag.SuppressEmbeds | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2;
const EDITABLE_FLAGS = MessageFlag.SuppressEmbeds | MessageFlag.IsComponentsV2;

export function createdFields(input: MessageInput, context: PayloadContext): CreatedFields {
  const { json } = input;
  validate(json, context.path);
  const requested = typeof json['flags'] === 'number' ? json['flags'] : 0;
  const settable = SETTABLE_FLAGS | (context.allowEphemeral ? MessageFlag.Ephemeral : 0);
  const flags = requested & settable;
  const attachments = resolveAttachments(json['attachments'], input.files, [], {
    ...context,
    ephemeral: (flags & MessageFlag.Ephemeral) !== 0,
  });
  const fields: CreatedFields = {
    content: typeof json['content'] === 'string' ? json['content'] : '',
    embeds: normalizeEmbeds(json['embeds'], attachments),
    components: normalizeComponents(json['components']),
    attachments,
    flags,
    tts: json['tts'] === true,
    nonce:
      typeof json['nonce'] === 'string' || typeof json['nonce'] === 'number'
        ? json['nonce']
        : undefined,
    enforceNonce: json['enforce_nonce'] === true,
  };
  const hasSticker = Array.isArray(json['sticker_ids']) && json['sticker_ids'].length > 0;
  if (isEmpty(fields) && !hasSticker && json['poll'] === undefined) throw Errors.emptyMessage();
  return fields;
}

/** An edit: absent fields stay, null clears; any edit ends the "thinking…" loading state. */
export function editedFields(
  message: FakeMessage,
  input: MessageInput,
  context: PayloadContext,
): RevisionChanges {
  const { json } = input;
  validate(json, context.path);
  const attachments = resolveAttachments(json['attachments'], input.files, message.attachments, {
    ...context,
    ephemeral: message.ephemeral,
  });
  const keptFlags = message.flags & ~MessageFlag.Loading;
  const flags =
    typeof json['flags'] === 'number'
      ? (keptFlags & ~EDITABLE_FLAGS) | (json['flags'] & EDITABLE_FLAGS)
      : keptFlags;
  const changes = {
    content:
      'content' in json
        ? typeof json['content'] === 'string'
          ? json['content']
          : ''
        : message.content,
    embeds: 'embeds' in json ? normalizeEmbeds(json['embeds'], attachments) : message.embeds,
    components: 'components' in json ? normalizeComponents(json['components']) : message.components,
    attachments,
    flags,
  };
  if (isEmpty(changes)) throw Errors.emptyMessage();
  return changes;
}

function isEmpty(fields: {
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: unknown[];
}): boolean {
  return (
    fields.content.length === 0 &&
    fields.embeds.length === 0 &&
    fields.components.length === 0 &&
    fields.attachments.length === 0
  );
}

function validate(json: ApiObject, prefix: string): void {
  const at = (field: string): string => (prefix ? `${prefix}.${field}` : field);
  const errors: FieldError[] = [];
  const content = json['content'];
  if (typeof content === 'string' && [...content].length > 2000) {
    errors.push({
      path: at('content'),
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 2000 or fewer in length.',
    });
  }
  if (Array.isArray(json['embeds']) && json['embeds'].length > 10) {
    errors.push({
      path: at('embeds'),
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 10 or fewer in length.',
    });
  }
  const componentsV2 =
    typeof json['flags'] === 'number' && (json['flags'] & MessageFlag.IsComponentsV2) !== 0;
  if (!componentsV2 && Array.isArray(json['components']) && json['components'].length > 5) {
    errors.push({
      path: at('components'),
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 5 or fewer in length.',
    });
  }
  if (errors.length > 0) throw invalidFormBody(errors);
}

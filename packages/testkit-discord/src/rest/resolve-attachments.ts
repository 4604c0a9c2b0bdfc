import { Errors, invalidFormBody } from '../http/api-error.js';
import type { UploadedFile } from '../http/request-payload.js';
import type { AttachmentStore, FakeAttachment } from '../state/attachment-store.js';

export interface AttachmentContext {
  channelId: string;
  uploadLimitBytes: number;
  attachments: AttachmentStore;
  ephemeral: boolean;
  /** Where the message fields sit in the request body: '' or 'data'. */
  path: string;
}

/**
 * The attachments a message has after a create or an edit.
 * Without an `attachments` array: the existing ones stay and every upload is added.
 * With one: it lists what remains, existing attachments by their id and uploads by the n of
 * `files[n]`; existing attachments it leaves out are removed.
 */
export function resolveAttachments(
  spec: unknown,
  files: UploadedFile[],
  existing: FakeAttachment[],
  context: AttachmentContext,
): FakeAttachment[] {
  for (const file of files) {
    if (file.bytes.length > context.uploadLimitBytes) throw Errors.entityTooLarge();
  }
  const upload = (file: UploadedFile, entry: Record<string, unknown> = {}): FakeAttachment =>
    context.attachments.add({
      channelId: context.channelId,
      filename: typeof entry['filename'] === 'string' ? entry['filename'] : file.filename,
      bytes: file.bytes,
      contentType: file.contentType,
      description: typeof entry['description'] === 'string' ? entry['description'] : undefined,
      title: typeof entry['title'] === 'string' ? entry['title'] : undefined,
      ephemeral: context.ephemeral,
    });
  if (!Array.isArray(spec)) return [...existing, ...files.map((file) => upload(file))];

  const result: FakeAttachment[] = [];
  const used = new Set<UploadedFile>();
  const at = (index: number): string =>
    [context.path, 'attachments', String(index)].filter(Boolean).join('.');
  for (const [index, raw] of spec.entries()) {
    const entry = (raw ?? {}) as Record<string, unknown>;
    const id = String(entry['id']);
    const kept = existing.find((attachment) => attachment.id === id);
    if (kept) {
      result.push(kept);
      continue;
    }
    const file = files.find((f) => String(f.index) === id);
    if (!file) {
      throw invalidFormBody([
        { path: at(index), code: 'ATTACHMENT_NOT_FOUND', message: 'Unknown attachment' },
      ]);
    }
    used.add(file);
    result.push(upload(file, entry));
  }
  for (const file of files) if (!used.has(file)) result.push(upload(file));
  return result;
}

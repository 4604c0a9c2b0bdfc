import type { MediaType, SentMedia } from '../../records.js';
import type { FileFolder, StoredFile } from '../../state/file-store.js';
import type { MessageContent } from '../../state/message-content.js';
import type { Document, Video } from '../../types.js';
import { mimeTypeOf } from '../../util/mime-type.js';
import { badRequest, ENTITY_TOO_LARGE } from '../api-error.js';
import type { FakeState } from '../method-context.js';
import type { FileRef } from '../params.js';

export interface ResolvedMedia {
  sent: SentMedia;
  /** The Message fields this media sets (animation comes with document, as in Telegram). */
  content: Partial<MessageContent>;
}

export interface VideoDetails {
  width?: number | undefined;
  height?: number | undefined;
  duration?: number | undefined;
}

const FOLDER_BY_TYPE: Record<MediaType, FileFolder> = {
  photo: 'photos',
  document: 'documents',
  video: 'videos',
  animation: 'animations',
};

const TYPE_LABEL: Record<FileFolder, string> = {
  photos: 'Photo',
  documents: 'Document',
  videos: 'Video',
  animations: 'Animation',
};

/** Turns a file parameter into stored media: an upload, a known file_id, or a URL (not fetched). */
export function resolveMedia(
  state: FakeState,
  type: MediaType,
  ref: FileRef,
  details: VideoDetails = {},
): ResolvedMedia {
  if (ref.kind === 'upload') {
    const limit = type === 'photo' ? state.limits.photoBytes : state.limits.uploadBytes;
    if (ref.upload.data.length > limit) throw ENTITY_TOO_LARGE();
    return storeUpload(state, type, ref.upload.data, ref.upload.filename, details);
  }
  if (/^https?:\/\//i.test(ref.value)) {
    const resolved = storeUpload(state, type, Buffer.alloc(0), fileNameOfUrl(ref.value), details);
    delete resolved.sent.bytes;
    resolved.sent.url = ref.value;
    return resolved;
  }
  return reuseFile(state, type, ref.value, details);
}

function storeUpload(
  state: FakeState,
  type: MediaType,
  bytes: Buffer,
  fileName: string,
  details: VideoDetails,
): ResolvedMedia {
  if (type === 'photo') {
    const sizes = state.files.addPhoto(bytes);
    const largest = sizes.at(-1)!;
    return {
      sent: { type, file_id: largest.file_id, bytes, file_name: fileName },
      content: { photo: sizes },
    };
  }
  const mime_type = mimeTypeOf(fileName);
  const file = state.files.add(bytes, FOLDER_BY_TYPE[type], { file_name: fileName, mime_type });
  return {
    sent: { type, file_id: file.file_id, bytes, file_name: fileName, mime_type },
    content: contentFor(type, file, details),
  };
}

function reuseFile(
  state: FakeState,
  type: MediaType,
  fileId: string,
  details: VideoDetails,
): ResolvedMedia {
  const file = state.files.get(fileId);
  if (!file) throw badRequest('wrong file identifier/HTTP URL specified');
  if (file.folder !== FOLDER_BY_TYPE[type]) {
    throw badRequest(
      `can't use file of type ${TYPE_LABEL[file.folder]} as ${TYPE_LABEL[FOLDER_BY_TYPE[type]]}`,
    );
  }
  const sent: SentMedia = { type, file_id: file.file_id, bytes: file.bytes };
  if (file.file_name !== undefined) sent.file_name = file.file_name;
  if (file.mime_type !== undefined) sent.mime_type = file.mime_type;
  if (type === 'photo') return { sent, content: { photo: state.files.sizesOfPhoto(fileId) ?? [] } };
  return { sent, content: contentFor(type, file, details) };
}

function contentFor(
  type: MediaType,
  file: StoredFile,
  details: VideoDetails,
): Partial<MessageContent> {
  const document: Document = {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    file_size: file.bytes.length,
  };
  if (file.file_name !== undefined) document.file_name = file.file_name;
  if (file.mime_type !== undefined) document.mime_type = file.mime_type;
  if (type === 'document') return { document };
  const video: Video = {
    ...document,
    width: details.width ?? 0,
    height: details.height ?? 0,
    duration: details.duration ?? 0,
  };
  return type === 'video' ? { video } : { animation: video, document };
}

function fileNameOfUrl(url: string): string {
  return new URL(url).pathname.split('/').pop() || 'file';
}

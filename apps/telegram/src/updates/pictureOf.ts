import type { Message } from 'grammy/types';

/** A picture Telegram keeps for us: what getFile needs, its size and name when Telegram says. */
export interface TelegramPicture {
  fileId: string;
  size?: number;
  /** A file's name (a photo has none). */
  name?: string;
}

/**
 * The picture a command comes with: the photo it is the caption of, an image sent as a file
 * (uncompressed), or the picture of the message it answers.
 */
export function pictureOf(message: Message): TelegramPicture | undefined {
  return ownPicture(message) ?? (message.reply_to_message && ownPicture(message.reply_to_message));
}

function ownPicture(message: Message): TelegramPicture | undefined {
  const largest = message.photo?.at(-1);
  if (largest) return withSize(largest.file_id, largest.file_size);
  const document = message.document;
  if (document?.mime_type?.startsWith('image/'))
    return {
      ...withSize(document.file_id, document.file_size),
      ...(document.file_name !== undefined ? { name: document.file_name } : {}),
    };
  return undefined;
}

function withSize(fileId: string, size: number | undefined): TelegramPicture {
  return size === undefined ? { fileId } : { fileId, size };
}

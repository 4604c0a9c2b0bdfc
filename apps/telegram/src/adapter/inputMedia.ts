import type { OutgoingFile } from '@comfyrelay/chat';
import { InputFile } from 'grammy';
import type {
  InputMediaAnimation,
  InputMediaDocument,
  InputMediaPhoto,
  InputMediaVideo,
} from 'grammy/types';
import type { ParseMode } from './htmlText.js';
import type { MediaKind } from './planMedia.js';

export type AnyInputMedia =
  InputMediaPhoto | InputMediaVideo | InputMediaAnimation | InputMediaDocument;

/** A file as `editMessageMedia` and `sendMediaGroup` take it, its caption in HTML. */
export function inputMedia(
  kind: MediaKind,
  file: OutgoingFile,
  caption = '',
  mode: ParseMode = { parse_mode: 'HTML' },
): AnyInputMedia {
  const media = new InputFile(file.data, file.filename);
  const text = caption !== '' ? { caption, ...mode } : {};
  const size =
    file.width !== undefined && file.height !== undefined
      ? { width: file.width, height: file.height }
      : {};
  switch (kind) {
    case 'photo':
      return { type: 'photo', media, ...text };
    case 'animation':
      return { type: 'animation', media, ...text, ...size };
    case 'video':
      return { type: 'video', media, ...text, ...size, supports_streaming: true };
    case 'document':
      return { type: 'document', media, ...text };
  }
}

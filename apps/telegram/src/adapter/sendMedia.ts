import type { ChatTarget, OutgoingFile } from '@comfyrelay/chat';
import { InputFile, type Api } from 'grammy';
import type { Message } from 'grammy/types';
import type { MediaKind } from './planMedia.js';
import { chatIdOf } from './telegramRefs.js';

/** One file as the message kind Telegram shows it as. */
export function sendMedia(
  api: Api,
  kind: MediaKind,
  target: ChatTarget,
  file: OutgoingFile,
  other: Record<string, unknown>,
): Promise<Message> {
  const chat = chatIdOf(target);
  const upload = new InputFile(file.data, file.filename);
  const size =
    file.width !== undefined && file.height !== undefined
      ? { width: file.width, height: file.height }
      : {};
  switch (kind) {
    case 'photo':
      return api.sendPhoto(chat, upload, other);
    case 'animation':
      return api.sendAnimation(chat, upload, { ...other, ...size });
    case 'video':
      return api.sendVideo(chat, upload, { ...other, ...size, supports_streaming: true });
    case 'document':
      return api.sendDocument(chat, upload, other);
  }
}

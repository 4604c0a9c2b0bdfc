import type { GenerationOrigin } from '@comfyrelay/core';
import type { MessageRef } from '../adapter/ChatAdapter.js';

/**
 * The message that shows a job, kept in its origin (`replyTo.message`) so a restarted bot edits
 * the same message. A `MessageRef` is plain data; this only checks its shape when read back.
 */
export function withProgressMessage(
  origin: GenerationOrigin,
  message: MessageRef,
): GenerationOrigin {
  return { ...origin, replyTo: { ...origin.replyTo, message } };
}

export function progressMessageOf(origin: GenerationOrigin | undefined): MessageRef | undefined {
  const message = origin?.replyTo?.['message'];
  if (!message || typeof message !== 'object') return undefined;
  const ref = message as Partial<MessageRef>;
  if (typeof ref.messageId !== 'string' || typeof ref.target?.chatId !== 'string') return undefined;
  return ref as MessageRef;
}

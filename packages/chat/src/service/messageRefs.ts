import type { GenerationOrigin } from '@comfyrelay/core';
import type { MessageRef } from '../adapter/ChatAdapter.js';

/**
 * The message that shows a job, kept in its origin (`replyTo.message`) so a restarted bot edits
 * the same message. `replyTo.notes` says chat keeps delivery notes for the job (see
 * `DeliveryNotes`): a job that finished without its final shown is shown after a restart; jobs
 * from before chat kept notes are left alone. A `MessageRef` is plain data; this only checks
 * its shape when read back.
 */
export function withProgressMessage(
  origin: GenerationOrigin,
  message: MessageRef,
): GenerationOrigin {
  return { ...origin, replyTo: { ...origin.replyTo, message, notes: NOTES_VERSION } };
}

const NOTES_VERSION = 1;

export function progressMessageOf(origin: GenerationOrigin | undefined): MessageRef | undefined {
  const message = origin?.replyTo?.['message'];
  return isMessageRef(message) ? message : undefined;
}

/** Whether chat keeps delivery notes for the job this origin belongs to. */
export function hasDeliveryNotes(origin: GenerationOrigin | undefined): boolean {
  return origin?.replyTo?.['notes'] === NOTES_VERSION;
}

export function isMessageRef(value: unknown): value is MessageRef {
  if (!value || typeof value !== 'object') return false;
  const ref = value as Partial<MessageRef>;
  return typeof ref.messageId === 'string' && typeof ref.target?.chatId === 'string';
}

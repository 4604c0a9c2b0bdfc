import { RateLimitedError } from '@comfyrelay/chat';
import { GrammyError } from 'grammy';

/** A 429 becomes the chat layer's RateLimitedError (its outbox pauses that chat); others pass. */
export function translateError(error: unknown): unknown {
  if (error instanceof GrammyError && error.error_code === 429) {
    const seconds = error.parameters.retry_after ?? 1;
    return new RateLimitedError(seconds * 1000, 'chat', { cause: error });
  }
  return error;
}

function described(error: unknown, pattern: RegExp): boolean {
  return error instanceof GrammyError && pattern.test(error.description);
}

/** An edit that changes nothing: what was asked for is already shown. */
export function isNotModified(error: unknown): boolean {
  return described(error, /message is not modified/i);
}

/** Deleting what is gone already. */
export function isAlreadyDeleted(error: unknown): boolean {
  return described(error, /message to delete not found/i);
}

/** A text edit on a media message, or a caption edit on a text message. */
export function isWrongEditKind(error: unknown): boolean {
  return described(error, /there is no (text|caption) in the message to edit/i);
}

/** A media edit on a message that has only text. */
export function isTextOnly(error: unknown): boolean {
  return described(error, /message media can't be edited|there is no media in the message/i);
}

/** Text that is not valid Telegram HTML. */
export function isUnparsable(error: unknown): boolean {
  return described(error, /can't parse entities/i);
}

/** Telegram does not know the token. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 401;
}

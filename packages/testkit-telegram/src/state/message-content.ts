import type { Message } from '../types.js';

/** The fields of a Message that sends and edits set; everything else is envelope. */
export const CONTENT_FIELDS = [
  'text',
  'entities',
  'caption',
  'caption_entities',
  'photo',
  'document',
  'video',
  'animation',
  'reply_markup',
] as const;

/** Content fields; an explicit undefined means "without it" (an edit removes the field). */
export type MessageContent = {
  [K in (typeof CONTENT_FIELDS)[number]]?: Message[K] | undefined;
};

/** Drops undefined fields and empty entity lists, as Telegram leaves them out of the JSON. */
export function cleanContent(content: MessageContent): MessageContent {
  const clean: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) {
    const value = content[field];
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0 && field.endsWith('entities')) continue;
    clean[field] = value;
  }
  return clean as MessageContent;
}

export function contentOf(message: Message): MessageContent {
  const content: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) {
    if (message[field] !== undefined) content[field] = message[field];
  }
  return content as MessageContent;
}

export function sameContent(a: MessageContent, b: MessageContent): boolean {
  return JSON.stringify(cleanContent(a)) === JSON.stringify(cleanContent(b));
}

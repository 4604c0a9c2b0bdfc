import type { MessageEntity } from '../types.js';

/** Plain text plus entities, offsets and lengths in UTF-16 code units like the Bot API. */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** Thrown by the parse-mode parsers; becomes "Bad Request: can't parse entities: …". */
export class EntityParseError extends Error {}

/** UTF-8 byte offset of a UTF-16 index, which is how Telegram reports parse errors. */
export function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), 'utf8');
}

/** Telegram's entity order: by offset, longer (outer) entities first. */
export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

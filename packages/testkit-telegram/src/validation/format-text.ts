import { badRequest } from '../api/api-error.js';
import type { MessageEntity } from '../types.js';
import { EntityParseError, type FormattedText } from './formatted.js';
import { parseHtml } from './html-parser.js';
import { parseMarkdown } from './markdown-parser.js';
import { parseMarkdownV2 } from './markdown-v2-parser.js';

const PARSERS: Record<string, (source: string) => FormattedText> = {
  html: parseHtml,
  markdownv2: parseMarkdownV2,
  markdown: parseMarkdown,
};

/**
 * Turns text + parse_mode (or explicit entities) into what Telegram stores, trimmed of leading and
 * trailing whitespace like Telegram does. Parse errors become 400 "can't parse entities: …".
 */
export function formatText(
  source: string,
  parseMode: string | undefined,
  explicitEntities: unknown,
): FormattedText {
  const mode = (parseMode ?? '').toLowerCase();
  let formatted: FormattedText;
  if (source === '' || mode === '' || mode === 'none') {
    formatted = { text: source, entities: readEntities(explicitEntities) };
  } else {
    const parser = PARSERS[mode];
    if (!parser) throw badRequest('unsupported parse_mode');
    try {
      formatted = parser(source);
    } catch (error) {
      if (error instanceof EntityParseError) {
        throw badRequest(`can't parse entities: ${error.message}`);
      }
      throw error;
    }
  }
  return trim(formatted);
}

function readEntities(value: unknown): MessageEntity[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [];
  return value.map((entity: unknown) => {
    const candidate = entity as Partial<MessageEntity> | null;
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      typeof candidate.type !== 'string' ||
      typeof candidate.offset !== 'number' ||
      typeof candidate.length !== 'number'
    ) {
      throw badRequest("can't parse MessageEntity: an entity needs type, offset and length");
    }
    return { ...candidate } as MessageEntity;
  });
}

function trim(formatted: FormattedText): FormattedText {
  const leading = formatted.text.length - formatted.text.trimStart().length;
  const text = formatted.text.trim();
  const entities = formatted.entities
    .map((entity) => {
      const start = Math.max(0, entity.offset - leading);
      const end = Math.min(text.length, entity.offset - leading + entity.length);
      return { ...entity, offset: start, length: end - start };
    })
    .filter((entity) => entity.length > 0);
  return { text, entities };
}

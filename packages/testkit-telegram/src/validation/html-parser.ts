import type { MessageEntity } from '../types.js';
import { byteOffset, EntityParseError, sortEntities, type FormattedText } from './formatted.js';

const ENTITY_TYPE_BY_TAG: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  a: 'text_link',
  'tg-emoji': 'custom_emoji',
};

/** tg-time is accepted, but the fake makes no date_time entity from it. */
const SUPPORTED_TAGS = new Set([...Object.keys(ENTITY_TYPE_BY_TAG), 'tg-time']);

const NAMED_CHARACTERS: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  attributes: Map<string, string>;
  offset: number;
}

/** Parses Telegram's HTML parse mode, with its error messages. */
export function parseHtml(source: string): FormattedText {
  let text = '';
  const open: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (char === '&') {
      const decoded = decodeCharacterReference(source, i);
      text += decoded?.value ?? '&';
      i += decoded?.length ?? 1;
    } else if (char !== '<') {
      text += char;
      i++;
    } else if (source[i + 1] === '/') {
      const tag = open.pop();
      i = closeTag(source, i, tag);
      if (tag && text.length > tag.offset) addEntity(entities, tag, text);
    } else {
      const parsed = openTag(source, i, text.length);
      open.push(parsed.tag);
      i = parsed.next;
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) {
    throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  }
  // A language only survives on pre; a lone <code class="language-x"> drops it.
  for (const entity of entities) if (entity.type === 'code') delete entity.language;
  return { text, entities: sortEntities(entities) };
}

function decodeCharacterReference(
  source: string,
  at: number,
): { value: string; length: number } | undefined {
  const match = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(source.slice(at, at + 12));
  if (!match) return undefined;
  const body = match[1]!;
  let value: string | undefined;
  if (body.startsWith('#x') || body.startsWith('#X'))
    value = codePoint(parseInt(body.slice(2), 16));
  else if (body.startsWith('#')) value = codePoint(parseInt(body.slice(1), 10));
  else value = NAMED_CHARACTERS[body.toLowerCase()];
  return value === undefined ? undefined : { value, length: match[0].length };
}

function codePoint(value: number): string | undefined {
  return value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : undefined;
}

function openTag(source: string, begin: number, offset: number): { tag: OpenTag; next: number } {
  let i = begin + 1;
  while (i < source.length && !/\s/.test(source[i]!) && source[i] !== '>') i++;
  if (i >= source.length) {
    throw new EntityParseError(`Unclosed start tag at byte offset ${byteOffset(source, begin)}`);
  }
  const name = source.slice(begin + 1, i).toLowerCase();
  if (!SUPPORTED_TAGS.has(name)) {
    throw new EntityParseError(
      `Unsupported start tag "${name}" at byte offset ${byteOffset(source, begin)}`,
    );
  }
  const { attributes, end } = readAttributes(source, i, name, begin);
  if (name === 'span' && attributes.get('class') !== 'tg-spoiler') {
    throw new EntityParseError(
      `Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, begin)}`,
    );
  }
  return { tag: { name, attributes, offset }, next: end + 1 };
}

/** Reads `name="value"` pairs up to the closing '>', whose index is returned as `end`. */
function readAttributes(
  source: string,
  from: number,
  tagName: string,
  begin: number,
): { attributes: Map<string, string>; end: number } {
  const attributes = new Map<string, string>();
  const pattern = /\s*([^\s=>/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9.-]*)))?|\s*>/y;
  pattern.lastIndex = from;
  for (;;) {
    const match = pattern.exec(source);
    if (!match) {
      throw new EntityParseError(
        `Unclosed start tag "${tagName}" at byte offset ${byteOffset(source, begin)}`,
      );
    }
    if (match[0].trimStart() === '>') return { attributes, end: pattern.lastIndex - 1 };
    const value = match[2] ?? match[3] ?? match[4] ?? '';
    attributes.set(match[1]!.toLowerCase(), value);
  }
}

function closeTag(source: string, begin: number, tag: OpenTag | undefined): number {
  if (!tag) {
    throw new EntityParseError(`Unexpected end tag at byte offset ${byteOffset(source, begin)}`);
  }
  let i = begin + 2;
  while (i < source.length && !/\s/.test(source[i]!) && source[i] !== '>') i++;
  const name = source.slice(begin + 2, i).toLowerCase();
  while (i < source.length && /\s/.test(source[i]!)) i++;
  if (source[i] !== '>') {
    throw new EntityParseError(`Unclosed end tag at byte offset ${byteOffset(source, begin)}`);
  }
  if (name !== '' && name !== tag.name) {
    throw new EntityParseError(
      `Unmatched end tag at byte offset ${byteOffset(source, begin)}, expected "</${tag.name}>", found "</${name}>"`,
    );
  }
  return i + 1;
}

function addEntity(entities: MessageEntity[], tag: OpenTag, text: string): void {
  const type = ENTITY_TYPE_BY_TAG[tag.name];
  if (type === undefined) return;
  const offset = tag.offset;
  const length = text.length - offset;
  if (tag.name === 'pre') {
    const inner = entities.at(-1);
    // <pre><code class="language-x">…</code></pre> is one pre entity with a language.
    if (
      inner?.type === 'code' &&
      inner.language &&
      inner.offset === offset &&
      inner.length === length
    ) {
      inner.type = 'pre';
      return;
    }
  }
  const entity: MessageEntity = { type, offset, length };
  if (tag.name === 'a') entity.url = tag.attributes.get('href') || text.slice(offset);
  if (tag.name === 'code') {
    const language = /^language-(.+)$/.exec(tag.attributes.get('class') ?? '')?.[1];
    if (language) entity.language = language;
  }
  if (tag.name === 'tg-emoji') entity.custom_emoji_id = tag.attributes.get('emoji-id') ?? '';
  if (tag.name === 'blockquote' && tag.attributes.has('expandable')) {
    entity.type = 'expandable_blockquote';
  }
  entities.push(entity);
}

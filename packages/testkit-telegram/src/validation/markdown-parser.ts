import type { MessageEntity } from '../types.js';
import { byteOffset, EntityParseError, sortEntities, type FormattedText } from './formatted.js';

const MARKERS: Record<string, string> = { '*': 'bold', _: 'italic', '`': 'code' };

/** Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting. */
export function parseMarkdown(source: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (char === '\\' && '_*`['.includes(source[i + 1] ?? '')) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    const fence = source.startsWith('```', i) ? '```' : undefined;
    const end = fence ?? (MARKERS[char] || char === '[' ? (char === '[' ? ']' : char) : undefined);
    if (end === undefined) {
      text += char;
      i += 1;
      continue;
    }
    const contentStart = i + (fence ? 3 : 1);
    const close = source.indexOf(end, contentStart);
    if (close < 0) {
      throw new EntityParseError(
        `Can't find end of the entity starting at byte offset ${byteOffset(source, i)}`,
      );
    }
    const content = source.slice(contentStart, close);
    const offset = text.length;
    text += content;
    i = close + end.length;
    if (char === '[' && !fence) {
      const url = /^\(([^)]*)\)/.exec(source.slice(i));
      if (url) {
        i += url[0].length;
        if (content)
          entities.push({ type: 'text_link', offset, length: content.length, url: url[1]! });
      }
      continue;
    }
    const type = fence ? 'pre' : MARKERS[char]!;
    if (content) entities.push({ type, offset, length: content.length });
  }
  return { text, entities: sortEntities(entities) };
}

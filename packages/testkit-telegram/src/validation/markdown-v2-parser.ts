import type { MessageEntity } from '../types.js';
import { byteOffset, EntityParseError, sortEntities, type FormattedText } from './formatted.js';

const RESERVED = new Set('_*[]()~`>#+-=|{}.!');

/** Names as Telegram prints them in "Can't find end of … entity" errors. */
const ERROR_NAMES: Record<string, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  code: 'Code',
  pre: 'Pre',
  text_link: 'TextUrl',
  blockquote: 'BlockQuote',
  custom_emoji: 'CustomEmoji',
};

interface OpenEntity {
  type: string;
  offset: number;
  /** Index in the source where the marker started, for error messages. */
  sourceIndex: number;
  language?: string;
}

/** A light MarkdownV2 parser: escapes, nesting markers, links, code, pre and blockquotes. */
export function parseMarkdownV2(source: string): FormattedText {
  const parser = new MarkdownV2Parser(source);
  return parser.parse();
}

class MarkdownV2Parser {
  private text = '';
  private readonly open: OpenEntity[] = [];
  private readonly entities: MessageEntity[] = [];
  private i = 0;

  constructor(private readonly source: string) {}

  parse(): FormattedText {
    const { source } = this;
    while (this.i < source.length) {
      const top = this.open.at(-1);
      if (top?.type === 'code' || top?.type === 'pre') this.readCode(top);
      else this.readMarkup();
    }
    const unclosed = this.open.filter((entity) => entity.type !== 'blockquote').at(-1);
    if (unclosed) throw this.unclosedError(unclosed);
    this.closeBlockquote();
    return { text: this.text, entities: sortEntities(this.entities) };
  }

  private readCode(top: OpenEntity): void {
    const { source } = this;
    const char = source[this.i]!;
    if (char === '\\' && this.i + 1 < source.length) {
      this.text += source[this.i + 1];
      this.i += 2;
    } else if (top.type === 'pre' && source.startsWith('```', this.i)) {
      this.close(top);
      this.i += 3;
    } else if (top.type === 'code' && char === '`') {
      this.close(top);
      this.i += 1;
    } else {
      this.text += char;
      this.i += 1;
    }
  }

  private readMarkup(): void {
    const { source } = this;
    const char = source[this.i]!;
    const next = source[this.i + 1];
    if (
      char === '\\' &&
      next !== undefined &&
      next.charCodeAt(0) > 0 &&
      next.charCodeAt(0) <= 126
    ) {
      this.text += next;
      this.i += 2;
      return;
    }
    if (char === '\n') {
      this.text += char;
      this.i += 1;
      if (source[this.i] !== '>') this.closeBlockquote();
      return;
    }
    if (!RESERVED.has(char)) {
      this.text += char;
      this.i += 1;
      return;
    }
    this.readMarker(char, next);
  }

  private readMarker(char: string, next: string | undefined): void {
    const top = this.open.at(-1);
    const start = this.i;
    const toggle = (type: string, width: number): void => {
      if (top?.type === type) this.close(top);
      else this.open.push({ type, offset: this.text.length, sourceIndex: start });
      this.i += width;
    };
    if (char === '*') return toggle('bold', 1);
    if (char === '~') return toggle('strikethrough', 1);
    if (char === '_' && next === '_') return toggle('underline', 2);
    if (char === '_') return toggle('italic', 1);
    if (char === '|' && next === '|') return toggle('spoiler', 2);
    if (char === '[') return toggle('text_link', 1);
    if (char === '!' && next === '[') return toggle('custom_emoji', 2);
    if (char === ']' && (top?.type === 'text_link' || top?.type === 'custom_emoji')) {
      return this.closeLink(top);
    }
    if (char === '`') return this.openCode(start);
    if (char === '>' && this.atLineStart(start)) {
      if (!this.open.some((entity) => entity.type === 'blockquote')) {
        this.open.push({ type: 'blockquote', offset: this.text.length, sourceIndex: start });
      }
      this.i += 1;
      return;
    }
    throw new EntityParseError(
      `Character '${char}' is reserved and must be escaped with the preceding '\\'`,
    );
  }

  private openCode(start: number): void {
    const { source } = this;
    if (!source.startsWith('```', start)) {
      this.open.push({ type: 'code', offset: this.text.length, sourceIndex: start });
      this.i += 1;
      return;
    }
    let i = start + 3;
    const languageMatch = /^[^\s`]+(?=[\r\n])/.exec(source.slice(i));
    const entity: OpenEntity = { type: 'pre', offset: 0, sourceIndex: start };
    if (languageMatch) {
      entity.language = languageMatch[0];
      i += languageMatch[0].length;
    }
    if (source[i] === '\r' || source[i] === '\n') i += source.startsWith('\r\n', i) ? 2 : 1;
    entity.offset = this.text.length;
    this.open.push(entity);
    this.i = i;
  }

  private closeLink(top: OpenEntity): void {
    const { source } = this;
    let i = this.i + 1;
    let url = this.text.slice(top.offset);
    if (source[i] === '(') {
      const urlStart = i + 1;
      url = '';
      i = urlStart;
      while (i < source.length && source[i] !== ')') {
        if (source[i] === '\\' && i + 1 < source.length) i += 1;
        url += source[i];
        i += 1;
      }
      if (source[i] !== ')') {
        throw new EntityParseError(
          `Can't find end of a URL at byte offset ${byteOffset(source, urlStart)}`,
        );
      }
      i += 1;
    }
    this.close(top, top.type === 'custom_emoji' ? { custom_emoji_id: emojiId(url) } : { url });
    this.i = i;
  }

  private close(entity: OpenEntity, extra: Partial<MessageEntity> = {}): void {
    this.open.splice(this.open.lastIndexOf(entity), 1);
    const length = this.text.length - entity.offset;
    if (length <= 0) return;
    const added: MessageEntity = { type: entity.type, offset: entity.offset, length, ...extra };
    if (entity.language) added.language = entity.language;
    this.entities.push(added);
  }

  private closeBlockquote(): void {
    const quote = this.open.find((entity) => entity.type === 'blockquote');
    if (!quote) return;
    // The quote ends before the line break that ends its last line.
    const end = this.text.endsWith('\n') ? this.text.length - 1 : this.text.length;
    this.open.splice(this.open.indexOf(quote), 1);
    if (end > quote.offset) {
      this.entities.push({ type: 'blockquote', offset: quote.offset, length: end - quote.offset });
    }
  }

  private atLineStart(index: number): boolean {
    return index === 0 || this.source[index - 1] === '\n';
  }

  private unclosedError(entity: OpenEntity): EntityParseError {
    const name = ERROR_NAMES[entity.type] ?? entity.type;
    return new EntityParseError(
      `Can't find end of ${name} entity at byte offset ${byteOffset(this.source, entity.sourceIndex)}`,
    );
  }
}

function emojiId(url: string): string {
  return /^tg:\/\/emoji\?id=(\d+)$/.exec(url)?.[1] ?? '';
}

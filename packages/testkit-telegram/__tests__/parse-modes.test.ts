import { describe, expect, it } from 'vitest';
import { EntityParseError } from '../src/validation/formatted.js';
import { parseHtml } from '../src/validation/html-parser.js';
import { parseMarkdown } from '../src/validation/markdown-parser.js';
import { parseMarkdownV2 } from '../src/validation/markdown-v2-parser.js';

describe('HTML parse mode', () => {
  it('strips tags, decodes entities and measures in UTF-16', () => {
    expect(parseHtml('🎨 <b>bold &amp; <i>both</i></b> <a href="https://x.org">link</a>')).toEqual({
      text: '🎨 bold & both link',
      entities: [
        { type: 'bold', offset: 3, length: 11 },
        { type: 'italic', offset: 10, length: 4 },
        { type: 'text_link', offset: 15, length: 4, url: 'https://x.org' },
      ],
    });
  });

  it('turns <pre><code class="language-x"> into one pre entity with a language', () => {
    expect(parseHtml('<pre><code class="language-json">{}</code></pre>').entities).toEqual([
      { type: 'pre', offset: 0, length: 2, language: 'json' },
    ]);
  });

  it.each([
    ['<b>open', `Can't find end tag corresponding to start tag "b"`],
    ['a </b>', 'Unexpected end tag at byte offset 2'],
    ['<blink>x</blink>', 'Unsupported start tag "blink" at byte offset 0'],
    ['1 < 2', 'Unsupported start tag "" at byte offset 2'],
    ['é<b>x</i>', 'Unmatched end tag at byte offset 6, expected "</b>", found "</i>"'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
  ])('refuses %j', (source, message) => {
    expect(() => parseHtml(source)).toThrow(new EntityParseError(message));
  });
});

describe('MarkdownV2 parse mode', () => {
  it('parses nested markers, escapes, links and code', () => {
    expect(parseMarkdownV2('*bold _both_* \\. [site](https://x.org/a\\)b) `a\\`b`')).toEqual({
      text: 'bold both . site a`b',
      entities: [
        { type: 'bold', offset: 0, length: 9 },
        { type: 'italic', offset: 5, length: 4 },
        { type: 'text_link', offset: 12, length: 4, url: 'https://x.org/a)b' },
        { type: 'code', offset: 17, length: 3 },
      ],
    });
  });

  it('reads a pre block with a language', () => {
    expect(parseMarkdownV2('```python\nprint(1)\n```')).toEqual({
      text: 'print(1)\n',
      entities: [{ type: 'pre', offset: 0, length: 9, language: 'python' }],
    });
  });

  it.each([
    ['Done.', "Character '.' is reserved and must be escaped with the preceding '\\'"],
    ['1-2', "Character '-' is reserved and must be escaped with the preceding '\\'"],
    ['*open', "Can't find end of Bold entity at byte offset 0"],
    ['ok __u', "Can't find end of Underline entity at byte offset 3"],
    ['[x](http://a', "Can't find end of a URL at byte offset 4"],
  ])('refuses %j', (source, message) => {
    expect(() => parseMarkdownV2(source)).toThrow(new EntityParseError(message));
  });
});

describe('legacy Markdown parse mode', () => {
  it('parses the four markers and links', () => {
    expect(
      parseMarkdown('*b* _i_ `c` [t](http://x)').entities.map((entity) => entity.type),
    ).toEqual(['bold', 'italic', 'code', 'text_link']);
  });

  it('refuses an unclosed entity', () => {
    expect(() => parseMarkdown('a *b')).toThrow(
      "Can't find end of the entity starting at byte offset 2",
    );
  });
});

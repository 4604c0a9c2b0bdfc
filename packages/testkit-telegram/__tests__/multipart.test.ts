import { describe, expect, it } from 'vitest';
import { parseMultipart } from '../src/http/multipart.js';

const boundary = '----------abc123';

function body(...parts: string[]): Buffer {
  return Buffer.from(
    `--${boundary}\r\n${parts.join(`\r\n--${boundary}\r\n`)}\r\n--${boundary}--\r\n`,
  );
}

describe('multipart/form-data parser', () => {
  it("reads grammY's compact headers: no spaces, unquoted filename", () => {
    const parts = parseMultipart(
      body(
        'content-disposition:form-data;name="chat_id"\r\n\r\n42',
        'content-disposition:form-data;name="photo"\r\n\r\nattach://k1',
        'content-disposition:form-data;name="k1";filename=photo.jpg\r\ncontent-type:application/octet-stream\r\n\r\n\x00\x01\r\n\x02',
      ),
      boundary,
    );
    expect(parts.map((part) => [part.name, part.filename, part.data.toString('latin1')])).toEqual([
      ['chat_id', undefined, '42'],
      ['photo', undefined, 'attach://k1'],
      ['k1', 'photo.jpg', '\x00\x01\r\n\x02'],
    ]);
    expect(parts[2]?.contentType).toBe('application/octet-stream');
  });

  it('reads the browser/curl spelling with quoted, escaped filenames', () => {
    const [part] = parseMultipart(
      body(
        'Content-Disposition: form-data; name="document"; filename="my \\"file\\".txt"\r\n\r\nhi',
      ),
      boundary,
    );
    expect(part).toMatchObject({ name: 'document', filename: 'my "file".txt' });
  });

  it('throws on a body without the closing boundary', () => {
    expect(() =>
      parseMultipart(
        Buffer.from(`--${boundary}\r\ncontent-disposition:form-data;name="a"\r\n\r\nx`),
        boundary,
      ),
    ).toThrow();
  });
});

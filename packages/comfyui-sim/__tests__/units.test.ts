import { describe, expect, it } from 'vitest';
import { decodePng } from '../src/image/png-decode.js';
import { encodePng } from '../src/image/png-encode.js';
import { gradientImage } from '../src/image/rgb-image.js';
import { parseMultipart, multipartBoundary } from '../src/http/multipart.js';
import { BinaryHeap } from '../src/queue/binary-heap.js';
import { pyJson } from '../src/util/py-json.js';
import { pyRepr, toPyFloat, toPyInt } from '../src/validation/python-values.js';
import { deflateSync } from 'node:zlib';

describe('PNG', () => {
  it('round-trips through the encoder and decoder', () => {
    const image = gradientImage(7, 5, [255, 0, 0], [0, 0, 255]);
    const png = encodePng(image, { prompt: '{}' });
    expect(decodePng(png)).toEqual({ width: 7, height: 5, data: image.data });
  });

  it('decodes every filter type (Paeth, Up, Sub, Average) and RGBA', () => {
    const width = 3;
    const rows = [
      [1, 10, 20, 30, 255, 1, 1, 1, 255, 2, 2, 2, 255],
      [2, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0],
      [3, 5, 5, 5, 0, 5, 5, 5, 0, 5, 5, 5, 0],
      [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ];
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(rows.length, 4);
    header[8] = 8;
    header[9] = 6;
    const chunk = (type: string, data: Buffer) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      return Buffer.concat([length, Buffer.from(type), data, Buffer.alloc(4)]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.from(rows.flat()))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const decoded = decodePng(png);
    expect([...(decoded?.data.subarray(0, 9) ?? [])]).toEqual([10, 20, 30, 11, 21, 31, 13, 23, 33]);
    expect([...(decoded?.data.subarray(9, 12) ?? [])]).toEqual([11, 21, 31]);
  });
});

describe('multipart', () => {
  it('parses fields and files', () => {
    const boundary = multipartBoundary('multipart/form-data; boundary=XyZ') ?? '';
    const body = Buffer.from(
      '--XyZ\r\nContent-Disposition: form-data; name="image"; filename="a b.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ\r\n' +
        'Content-Disposition: form-data; name="overwrite"\r\n\r\ntrue\r\n--XyZ--\r\n',
      'latin1',
    );
    const parts = parseMultipart(body, boundary);
    expect(parts.map((p) => [p.name, p.filename, p.data.toString('latin1')])).toEqual([
      ['image', 'a b.png', '\x89PNG'],
      ['overwrite', undefined, 'true'],
    ]);
  });
});

describe('python-flavoured values', () => {
  it('converts like int()/float() and prints like repr()', () => {
    expect(toPyInt(' 12 ')).toEqual({ ok: true, value: 12 });
    expect(toPyInt(3.9)).toEqual({ ok: true, value: 3 });
    expect(toPyInt('1.5')).toEqual({
      ok: false,
      error: "invalid literal for int() with base 10: '1.5'",
    });
    expect(toPyInt(null)).toMatchObject({
      ok: false,
      error: expect.stringContaining("not 'NoneType'"),
    });
    expect(toPyFloat('1e3')).toEqual({ ok: true, value: 1000 });
    expect(toPyFloat('abc')).toEqual({
      ok: false,
      error: "could not convert string to float: 'abc'",
    });
    expect(pyRepr(['a', "it's", 1, true, null])).toBe(`['a', "it's", 1, True, None]`);
  });

  it('serialises JSON like json.dumps', () => {
    expect(pyJson({ a: [1, 'é'], b: null, big: 18446744073709551615n })).toBe(
      '{"a": [1, "\\u00e9"], "b": null, "big": 18446744073709551615}',
    );
  });
});

describe('BinaryHeap', () => {
  it('pops in order and removes arbitrary items', () => {
    const heap = new BinaryHeap<number>((a, b) => a < b);
    for (const n of [5, 3, 8, 1, 9, 2]) heap.push(n);
    heap.removeFirst((n) => n === 8);
    const out: number[] = [];
    for (let n = heap.pop(); n !== undefined; n = heap.pop()) out.push(n);
    expect(out).toEqual([1, 2, 3, 5, 9]);
  });
});

import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32.js';
import type { RgbImage } from './rgb-image.js';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Encodes 8-bit RGB as PNG; `text` becomes tEXt chunks (ComfyUI stores the prompt there). */
export function encodePng(image: RgbImage, text: Record<string, string> = {}, level = 4): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const textChunks = Object.entries(text).map(([key, value]) =>
    chunk(
      'tEXt',
      Buffer.concat([Buffer.from(key, 'latin1'), Buffer.from([0]), Buffer.from(value, 'latin1')]),
    ),
  );
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    ...textChunks,
    chunk('IDAT', deflateSync(filteredRows(image), { level })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Every row gets filter type 0 (none): simplest, and zlib copes well with flat colours. */
function filteredRows(image: RgbImage): Buffer {
  const stride = image.width * 3;
  const out = Buffer.alloc((stride + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    out.set(image.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return out;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeBytes = Buffer.from(type, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeBytes, data), 0);
  return Buffer.concat([length, typeBytes, data, crc]);
}

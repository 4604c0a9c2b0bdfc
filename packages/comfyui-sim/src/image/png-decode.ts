import { inflateSync } from 'node:zlib';
import { PNG_SIGNATURE } from './png-encode.js';
import type { RgbImage } from './rgb-image.js';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlace: number;
}

export function readPngHeader(bytes: Buffer): PngHeader | undefined {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return {
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    bitDepth: bytes[24] ?? 0,
    colourType: bytes[25] ?? 0,
    interlace: bytes[28] ?? 0,
  };
}

/**
 * Decodes 8-bit grey/RGB(A) non-interlaced PNGs (what ComfyUI and most tools write) to RGB.
 * Returns undefined for anything else; callers fall back to a synthetic image.
 */
export function decodePng(bytes: Buffer): RgbImage | undefined {
  const header = readPngHeader(bytes);
  if (!header || header.bitDepth !== 8 || header.interlace !== 0) return undefined;
  const channels = CHANNELS[header.colourType];
  if (channels === undefined) return undefined;
  const idat: Buffer[] = [];
  for (let offset = 8; offset + 8 <= bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') idat.push(bytes.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return undefined;
  }
  const pixels = unfilter(raw, header.width, header.height, channels);
  return pixels && toRgb(pixels, header.width, header.height, channels);
}

function unfilter(raw: Buffer, width: number, height: number, bpp: number): Uint8Array | undefined {
  const stride = width * bpp;
  if (raw.length < (stride + 1) * height) return undefined;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= bpp ? (out[row + x - bpp] ?? 0) : 0;
      const up = y > 0 ? (out[row - stride + x] ?? 0) : 0;
      const upLeft = x >= bpp && y > 0 ? (out[row - stride + x - bpp] ?? 0) : 0;
      out[row + x] = (value + predictor(filter ?? 0, left, up, upLeft)) & 0xff;
    }
  }
  return out;
}

function predictor(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default:
      return 0;
  }
}

function toRgb(pixels: Uint8Array, width: number, height: number, channels: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const source = i * channels;
    const grey = channels < 3;
    data[i * 3] = pixels[source] ?? 0;
    data[i * 3 + 1] = pixels[grey ? source : source + 1] ?? 0;
    data[i * 3 + 2] = pixels[grey ? source : source + 2] ?? 0;
  }
  return { width, height, data };
}

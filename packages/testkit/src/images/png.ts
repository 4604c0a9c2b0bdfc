import { crc32, deflateSync } from 'node:zlib';

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 8)).equals(PNG_MAGIC);
}

/** Width and height from the IHDR chunk; throws if the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (!isPng(bytes))
    throw new Error(`not a PNG: ${Buffer.from(bytes.subarray(0, 8)).toString('hex')}`);
  const view = Buffer.from(bytes);
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

/** A real RGB PNG whose pixels `colorAt(x, y)` gives. */
export function rgbPng(
  width: number,
  height: number,
  colorAt: (x: number, y: number) => readonly [number, number, number],
): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(colorAt(x, y), 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    PNG_MAGIC,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A solid-colour PNG, for uploads. */
export function solidPng(
  width: number,
  height: number,
  rgb: readonly [number, number, number] = [200, 80, 40],
): Buffer {
  return rgbPng(width, height, () => rgb);
}

/** A diagonal gradient: every region differs, so crops and resizes can be told apart. */
export function gradientPng(width = 48, height = 32): Buffer {
  return rgbPng(width, height, (x, y) => [
    Math.floor((x * 255) / width),
    Math.floor((y * 255) / height),
    128,
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

import sharp from 'sharp';

/** A PNG of one colour. */
export function solid(
  width: number,
  height: number,
  color: string,
  alpha = false,
): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: alpha ? 4 : 3, background: color },
  })
    .png()
    .toBuffer();
}

/** A PNG of random pixels: it does not compress, so it is large for its size. */
export function noise(width: number, height: number, alpha = false): Promise<Buffer> {
  const channels = alpha ? 4 : 3;
  const pixels = Buffer.alloc(width * height * channels);
  let seed = 12345;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = alpha && i % 4 === 3 ? 128 + (seed % 128) : seed >> 16;
  }
  return sharp(pixels, { raw: { width, height, channels } }).png().toBuffer();
}

/** The RGBA of one pixel. */
export async function pixel(image: Uint8Array, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 4;
  return [...data.subarray(at, at + 4)];
}

export async function sizeOf(
  image: Uint8Array,
): Promise<{ width: number; height: number; format: string }> {
  const meta = await sharp(image).metadata();
  return { width: meta.width, height: meta.height, format: meta.format };
}

/** Something like a photo: smooth tones PNG keeps losslessly and JPEG shrinks a lot. */
export async function photo(width: number, height: number): Promise<Buffer> {
  return sharp(await noise(width, height))
    .blur(3)
    .png()
    .toBuffer();
}

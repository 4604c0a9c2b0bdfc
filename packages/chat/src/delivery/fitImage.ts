import sharp from 'sharp';

/** Each step down keeps this much of the width and height. */
const SCALE_STEP = 0.8;
/** Below this a picture is not worth sending. */
const MIN_SIDE = 64;

export interface FittedImage {
  data: Buffer;
  mime: string;
}

/**
 * A copy of an image in at most `limit` bytes, or undefined: first re-encoded at high quality
 * (JPEG, or WebP when it has transparency or moves), then at lower quality, then smaller step
 * by step. The input is only read.
 */
export async function fitImage(input: Uint8Array, limit: number): Promise<FittedImage | undefined> {
  const meta = await sharp(input, { animated: true }).metadata();
  const animated = (meta.pages ?? 1) > 1;
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  const webp = animated || meta.hasAlpha === true;
  for (let scale = 1; Math.min(width * scale, height * scale) >= MIN_SIDE; scale *= SCALE_STEP) {
    for (const quality of scale === 1 ? [90, 80] : [80]) {
      let image = sharp(input, { animated });
      if (scale < 1) image = image.resize({ width: Math.max(1, Math.round(width * scale)) });
      const data = webp
        ? await image.webp({ quality, effort: 4 }).toBuffer()
        : await image
            .flatten({ background: '#ffffff' })
            .jpeg({ quality, mozjpeg: true })
            .toBuffer();
      if (data.length <= limit) return { data, mime: webp ? 'image/webp' : 'image/jpeg' };
    }
  }
  return undefined;
}

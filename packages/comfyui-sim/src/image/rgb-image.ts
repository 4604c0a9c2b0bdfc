import { createHash } from 'node:crypto';

export type Rgb = readonly [number, number, number];

/** 8-bit RGB pixels, row-major, 3 bytes per pixel. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * Largest side the simulator draws at: its pictures are flat colours and gradients, so they are
 * drawn small (fast) and enlarged to their real size when saved (see {@link MAX_SAVED_SIDE}).
 */
export const MAX_RENDER_SIDE = 256;

/** Largest side of a saved picture: a 4096 px PNG still encodes in well under a second. */
export const MAX_SAVED_SIDE = 4096;

/** Scales (width, height) down so neither side exceeds `maxSide`, keeping the aspect ratio. */
export function cappedSize(
  width: number,
  height: number,
  maxSide = MAX_RENDER_SIDE,
): [number, number] {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  const scale = Math.min(1, maxSide / Math.max(w, h));
  return [Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))];
}

export function colourFromSeed(seed: number | string, salt = ''): Rgb {
  const digest = createHash('sha1').update(`${seed}|${salt}`).digest();
  return [digest[0] ?? 0, digest[1] ?? 0, digest[2] ?? 0];
}

export function mixColour(from: Rgb, to: Rgb, t: number): Rgb {
  const k = Math.min(1, Math.max(0, t));
  return [
    Math.round(from[0] + (to[0] - from[0]) * k),
    Math.round(from[1] + (to[1] - from[1]) * k),
    Math.round(from[2] + (to[2] - from[2]) * k),
  ];
}

export function solidImage(width: number, height: number, colour: Rgb): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = colour[0];
    data[i + 1] = colour[1];
    data[i + 2] = colour[2];
  }
  return { width, height, data };
}

/** A vertical gradient from `top` to `bottom`. */
export function gradientImage(width: number, height: number, top: Rgb, bottom: Rgb): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const colour = mixColour(top, bottom, height === 1 ? 0 : y / (height - 1));
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = colour[0];
      data[i + 1] = colour[1];
      data[i + 2] = colour[2];
    }
  }
  return { width, height, data };
}

/** Blends every pixel of `image` toward `colour` by `t` (0 = unchanged, 1 = solid colour). */
export function tintImage(image: RgbImage, colour: Rgb, t: number): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) {
    const target = colour[i % 3] ?? 0;
    const source = image.data[i] ?? 0;
    data[i] = Math.round(source + (target - source) * t);
  }
  return { width: image.width, height: image.height, data };
}

export function averageColour(image: RgbImage): Rgb {
  const sums = [0, 0, 0];
  const pixels = Math.max(1, image.width * image.height);
  for (let i = 0; i < image.data.length; i++) sums[i % 3]! += image.data[i] ?? 0;
  return [
    Math.round(sums[0]! / pixels),
    Math.round(sums[1]! / pixels),
    Math.round(sums[2]! / pixels),
  ];
}

/** Largest side of a video frame: keeps encoding a clip in the tens of milliseconds. */
export const MAX_VIDEO_SIDE = 128;

/**
 * Nearest-neighbour resampling (the simulator's stand-in for every upscale method). Each
 * distinct source row is resampled once; output rows that repeat it are copied, so enlarging
 * a small render to a full-size picture costs little more than the copy.
 */
export function resizeImage(image: RgbImage, width: number, height: number): RgbImage {
  if (image.width === width && image.height === height) return image;
  const stride = width * 3;
  const data = new Uint8Array(stride * height);
  const sourceX = Array.from({ length: width }, (_, x) =>
    Math.min(image.width - 1, Math.floor(((x + 0.5) * image.width) / width)),
  );
  let previousRow = -1;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(((y + 0.5) * image.height) / height));
    const to = y * stride;
    if (sy === previousRow) {
      data.copyWithin(to, to - stride, to);
      continue;
    }
    previousRow = sy;
    const rowStart = sy * image.width;
    for (let x = 0; x < width; x++) {
      const from = (rowStart + (sourceX[x] ?? 0)) * 3;
      data[to + x * 3] = image.data[from] ?? 0;
      data[to + x * 3 + 1] = image.data[from + 1] ?? 0;
      data[to + x * 3 + 2] = image.data[from + 2] ?? 0;
    }
  }
  return { width, height, data };
}

/** comfy.utils.common_upscale's crop="center": the centred part of `image` with the aspect ratio width:height. */
export function cropToAspect(image: RgbImage, width: number, height: number): RgbImage {
  const oldAspect = image.width / image.height;
  const newAspect = width / height;
  let x = 0;
  let y = 0;
  if (oldAspect > newAspect)
    x = Math.round((image.width - image.width * (newAspect / oldAspect)) / 2);
  else if (oldAspect < newAspect)
    y = Math.round((image.height - image.height * (oldAspect / newAspect)) / 2);
  const cropWidth = Math.max(1, image.width - 2 * x);
  const cropHeight = Math.max(1, image.height - 2 * y);
  if (cropWidth === image.width && cropHeight === image.height) return image;
  const data = new Uint8Array(cropWidth * cropHeight * 3);
  for (let row = 0; row < cropHeight; row++) {
    const start = ((row + y) * image.width + x) * 3;
    data.set(image.data.subarray(start, start + cropWidth * 3), row * cropWidth * 3);
  }
  return { width: cropWidth, height: cropHeight, data };
}

/** Blends two images of the same size: 0 = `from`, 1 = `to`. */
export function blendImages(from: RgbImage, to: RgbImage, t: number): RgbImage {
  const k = Math.min(1, Math.max(0, t));
  const data = new Uint8Array(to.data.length);
  for (let i = 0; i < data.length; i++) {
    const a = from.data[i] ?? 0;
    data[i] = Math.round(a + ((to.data[i] ?? 0) - a) * k);
  }
  return { width: to.width, height: to.height, data };
}

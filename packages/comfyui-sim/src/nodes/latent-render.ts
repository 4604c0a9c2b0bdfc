import {
  averageColour,
  blendImages,
  cappedSize,
  gradientImage,
  MAX_VIDEO_SIDE,
  mixColour,
  resizeImage,
  type Rgb,
  type RgbImage,
} from '../image/rgb-image.js';
import type { ImageValue, LatentSample, LatentValue, VideoLatentInfo } from './values.js';

/** The colour of an untouched latent (what an empty latent decodes to). */
export const EMPTY_LATENT_COLOUR: Rgb = [128, 128, 128];

/** Most frames one video latent decodes to; longer clips are cut here to keep encoding fast. */
export const MAX_VIDEO_FRAMES = 81;

export function sampleColour(sample: LatentSample): Rgb {
  return 'colour' in sample ? sample.colour : averageColour(sample.image);
}

/** Decodes one latent: carried pixels as they are, a colour as a gradient toward a darker shade. */
export function renderSample(
  sample: LatentSample,
  latent: Pick<LatentValue, 'width' | 'height'>,
): RgbImage {
  if ('image' in sample) return sample.image;
  const [width, height] = cappedSize(latent.width, latent.height);
  return gradientImage(width, height, sample.colour, mixColour(sample.colour, [0, 0, 0], 0.5));
}

/** Latent frames T = (length - 1) // 4 + 1, as Wan and Hunyuan video latents hold them. */
export function latentFramesFor(length: number): number {
  return Math.floor((Math.max(1, length) - 1) / 4) + 1;
}

/** What the video VAE decodes T latent frames to: (T - 1) * 4 + 1. */
export function decodedFrameCount(video: VideoLatentInfo): number {
  return (video.latentFrames - 1) * 4 + 1;
}

/** VAEDecode: one image per sample, or for a video latent `length` frames per sample. */
export function decodeLatent(latent: LatentValue): ImageValue {
  const { width, height } = latent;
  if (!latent.video) {
    const images = latent.samples.map((sample) => renderSample(sample, latent));
    return { kind: 'IMAGE', images, width, height };
  }
  const count = Math.min(decodedFrameCount(latent.video), MAX_VIDEO_FRAMES);
  const [frameWidth, frameHeight] = cappedSize(width, height, MAX_VIDEO_SIDE);
  const start = latent.video.startImage
    ? resizeImage(latent.video.startImage, frameWidth, frameHeight)
    : undefined;
  const images = latent.samples.flatMap((sample) =>
    videoFrames(sampleColour(sample), frameWidth, frameHeight, count, start),
  );
  return { kind: 'IMAGE', images, width, height };
}

/**
 * A clip that visibly moves: a light band sweeps across a colour derived from the sample, and an
 * i2v start image fades into it (the first frame is the start image).
 */
function videoFrames(
  colour: Rgb,
  width: number,
  height: number,
  count: number,
  start: RgbImage | undefined,
): RgbImage[] {
  const dark = colour[0] + colour[1] + colour[2] < 90;
  const accent = mixColour(colour, dark ? [255, 255, 255] : [0, 0, 0], 0.65);
  const frames: RgbImage[] = [];
  for (let frame = 0; frame < count; frame++) {
    const image = movingBand(colour, accent, width, height, frame / count);
    frames.push(start ? blendImages(start, image, count > 1 ? frame / (count - 1) : 0) : image);
  }
  return frames;
}

function movingBand(
  colour: Rgb,
  accent: Rgb,
  width: number,
  height: number,
  phase: number,
): RgbImage {
  const data = new Uint8Array(width * height * 3);
  const columns: Rgb[] = [];
  for (let x = 0; x < width; x++) {
    const t = (x / width + phase) % 1;
    columns.push(mixColour(colour, accent, 1 - Math.abs(2 * t - 1)));
  }
  for (let y = 0; y < height; y++) {
    const shade = 1 - (0.25 * y) / Math.max(1, height - 1);
    for (let x = 0; x < width; x++) {
      const c = columns[x] ?? colour;
      const i = (y * width + x) * 3;
      data[i] = Math.round(c[0] * shade);
      data[i + 1] = Math.round(c[1] * shade);
      data[i + 2] = Math.round(c[2] * shade);
    }
  }
  return { width, height, data };
}

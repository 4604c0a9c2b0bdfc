import {
  averageColour,
  cappedSize,
  gradientImage,
  mixColour,
  type Rgb,
  type RgbImage,
} from '../image/rgb-image.js';
import type { LatentSample, LatentValue } from './values.js';

/** The colour of an untouched latent (what an empty latent decodes to). */
export const EMPTY_LATENT_COLOUR: Rgb = [128, 128, 128];

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

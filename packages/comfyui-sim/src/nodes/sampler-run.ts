import {
  cappedSize,
  colourFromSeed,
  gradientImage,
  mixColour,
  tintImage,
  type Rgb,
} from '../image/rgb-image.js';
import type { NodeRunContext } from './types.js';
import type { ConditioningValue, LatentSample, LatentValue, ModelValue } from './values.js';
import { sampleColour } from './latent-render.js';

export interface SamplerJob {
  seed: number;
  /** Steps actually run and reported as progress max. */
  steps: number;
  denoise: number;
  model: ModelValue;
  positive: ConditioningValue;
  negative: ConditioningValue;
  latent: LatentValue;
  /** Everything else that changes the picture (cfg, sampler, scheduler…). */
  settings: string;
}

/** Previews are latent-resolution thumbnails in ComfyUI; this keeps them tiny. */
const PREVIEW_MAX_SIDE = 64;

/** Walks the steps with progress and previews, then returns latents coloured by seed and prompt. */
export async function runSampler(ctx: NodeRunContext, job: SamplerJob): Promise<LatentValue> {
  const salt = [
    job.model.checkpoint,
    ...job.model.loras,
    job.positive.text,
    job.negative.text,
    job.settings,
  ].join('|');
  const targets = job.latent.samples.map((_, index) => colourFromSeed(job.seed + index, salt));
  const start = job.latent.samples[0] ? sampleColour(job.latent.samples[0]) : targets[0];
  for (let step = 1; step <= job.steps; step++) {
    await ctx.step();
    const preview =
      ctx.previewsEnabled && start && targets[0]
        ? previewAt(job.latent, start, targets[0], step / job.steps)
        : undefined;
    ctx.progress(step, job.steps, preview);
  }
  if (job.steps === 0) return job.latent;
  return {
    ...job.latent,
    samples: job.latent.samples.map((sample, index) =>
      denoised(sample, targets[index] ?? [0, 0, 0], job.denoise),
    ),
  };
}

function denoised(sample: LatentSample, target: Rgb, denoise: number): LatentSample {
  if ('image' in sample && denoise < 1) return { image: tintImage(sample.image, target, denoise) };
  return { colour: target };
}

function previewAt(latent: LatentValue, start: Rgb, target: Rgb, fraction: number) {
  const [width, height] = cappedSize(latent.width / 8, latent.height / 8, PREVIEW_MAX_SIDE);
  const colour = mixColour(start, target, fraction);
  return gradientImage(width, height, colour, mixColour(colour, [0, 0, 0], 0.5 * fraction));
}

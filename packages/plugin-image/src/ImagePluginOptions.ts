import { ComfyRelayError } from '@comfyrelay/core';

export const IMAGE_WORKFLOW_IDS = [
  'image.txt2img',
  'image.txt2img-lora',
  'image.flux',
  'image.img2img',
  'image.upscale',
  'image.hires',
] as const;

export type ImageWorkflowId = (typeof IMAGE_WORKFLOW_IDS)[number];

export interface ImageSize {
  width: number;
  height: number;
}

export interface ImagePluginOptions {
  /** Workflows to register (default: all of {@link IMAGE_WORKFLOW_IDS}). */
  workflows?: readonly ImageWorkflowId[];
  /** Checkpoint used when a request names none (default `v1-5-pruned-emaonly.safetensors`). */
  defaultCheckpoint?: string;
  /** Default size of the checkpoint workflows (default 512×512; multiples of 8). */
  defaultSize?: ImageSize;
  /** Model files of the Flux workflow (defaults: the file names of ComfyUI's Flux examples). */
  flux?: {
    unet?: string;
    t5Encoder?: string;
    clipEncoder?: string;
    vae?: string;
    defaultSize?: ImageSize;
  };
  /** Upscale model used when a request names none (default `RealESRGAN_x4plus.pth`). */
  upscaleModel?: string;
  /** Largest width or height a user may ask for (default 2048). */
  maxSide?: number;
  /** Most images per request (default 4). */
  maxBatchSize?: number;
  /** Most sampler steps per pass (default 100). */
  maxSteps?: number;
  /** Denoise of the "variations" follow-up (default 0.45: same picture, new details). */
  variationDenoise?: number;
  /** The workflow the "animate" follow-up hands the image to; false drops the action (default `video.image-to-video`). */
  animateWorkflow?: string | false;
  /** Fail a generation that is not done by then (default: the relay's). */
  deadlineMs?: number;
}

/** Options with every default filled in. */
export interface ResolvedImageOptions {
  workflows: ReadonlySet<ImageWorkflowId>;
  defaultCheckpoint: string;
  defaultSize: ImageSize;
  flux: {
    unet: string;
    t5Encoder: string;
    clipEncoder: string;
    vae: string;
    defaultSize: ImageSize;
  };
  upscaleModel: string;
  maxSide: number;
  maxBatchSize: number;
  maxSteps: number;
  variationDenoise: number;
  animateWorkflow: string | false;
  deadlineMs: number | undefined;
}

/** Smallest width/height offered: below this no model makes a usable picture. */
export const MIN_SIDE = 64;

export function resolveImageOptions(options: ImagePluginOptions = {}): ResolvedImageOptions {
  for (const id of options.workflows ?? []) {
    if (!(IMAGE_WORKFLOW_IDS as readonly string[]).includes(id)) {
      throw new ComfyRelayError(
        `plugin-image has no workflow "${id}"; it has ${IMAGE_WORKFLOW_IDS.join(', ')}`,
      );
    }
  }
  const maxSide = positiveInteger('maxSide', options.maxSide ?? 2048);
  const resolved: ResolvedImageOptions = {
    workflows: new Set(options.workflows ?? IMAGE_WORKFLOW_IDS),
    defaultCheckpoint: options.defaultCheckpoint ?? 'v1-5-pruned-emaonly.safetensors',
    defaultSize: options.defaultSize ?? { width: 512, height: 512 },
    flux: {
      unet: options.flux?.unet ?? 'flux1-dev.safetensors',
      t5Encoder: options.flux?.t5Encoder ?? 't5xxl_fp16.safetensors',
      clipEncoder: options.flux?.clipEncoder ?? 'clip_l.safetensors',
      vae: options.flux?.vae ?? 'ae.safetensors',
      defaultSize: options.flux?.defaultSize ?? { width: 1024, height: 1024 },
    },
    upscaleModel: options.upscaleModel ?? 'RealESRGAN_x4plus.pth',
    maxSide,
    maxBatchSize: positiveInteger('maxBatchSize', options.maxBatchSize ?? 4),
    maxSteps: positiveInteger('maxSteps', options.maxSteps ?? 100),
    variationDenoise: options.variationDenoise ?? 0.45,
    animateWorkflow: options.animateWorkflow ?? 'video.image-to-video',
    deadlineMs: options.deadlineMs,
  };
  checkSize('defaultSize', resolved.defaultSize, 8, maxSide);
  checkSize('flux.defaultSize', resolved.flux.defaultSize, 16, maxSide);
  if (!(resolved.variationDenoise > 0 && resolved.variationDenoise <= 1)) {
    throw new ComfyRelayError(
      `plugin-image: variationDenoise must be in (0, 1], not ${resolved.variationDenoise}`,
    );
  }
  return resolved;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new ComfyRelayError(
      `plugin-image: ${name} must be a positive whole number, not ${value}`,
    );
  return value;
}

function checkSize(name: string, size: ImageSize, multipleOf: number, maxSide: number): void {
  for (const side of [size.width, size.height]) {
    if (!Number.isInteger(side) || side % multipleOf !== 0 || side < MIN_SIDE || side > maxSide) {
      throw new ComfyRelayError(
        `plugin-image: ${name} must be ${MIN_SIDE}..${maxSide} pixels in multiples of ${multipleOf}, not ${size.width}×${size.height}`,
      );
    }
  }
}

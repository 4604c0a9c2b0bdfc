import type { ParameterBinding, ParameterSpec } from '@comfyrelay/core';

type Bind = ParameterBinding | ParameterBinding[];

export const at = (node: string, input: string): ParameterBinding => ({ node, input });

/** Limits every video workflow shares; what Wan 2.2 14B handles on one GPU. */
export const videoLimits = {
  /** 4k+1 each: Wan's VAE packs 4 frames per latent after the first. */
  frames: { min: 5, max: 121, default: 81 },
  fps: { min: 1, max: 60, default: 16 },
  steps: { min: 2, max: 60, default: 20 },
  cfg: { min: 1, max: 10, default: 3.5 },
  /** Wan needs sides in multiples of 16 (VAE 8 × patch 2). */
  side: { min: 128, max: 1280, multipleOf: 16 },
} as const;

/** The negative prompt Wan was tuned with (ComfyUI's Wan templates ship it). */
export const WAN_NEGATIVE_PROMPT =
  '色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走';

export function promptParameter(bind: Bind, fallback?: string): ParameterSpec {
  return {
    name: 'prompt',
    type: 'string',
    description: 'What happens in the video',
    maxLength: 2000,
    ...(fallback === undefined ? { required: true } : { default: fallback }),
    bind,
  };
}

export function negativeParameter(bind: Bind): ParameterSpec {
  return {
    name: 'negative',
    type: 'string',
    description: 'What to keep out of the video',
    default: WAN_NEGATIVE_PROMPT,
    maxLength: 2000,
    bind,
  };
}

export function imageParameter(bind: Bind): ParameterSpec {
  return {
    name: 'image',
    type: 'image',
    description: 'The picture the video starts from',
    required: true,
    bind,
  };
}

export function sizeParameters(
  defaults: { width: number; height: number },
  width: Bind,
  height: Bind,
): ParameterSpec[] {
  const { min, max, multipleOf } = videoLimits.side;
  return [
    {
      name: 'width',
      type: 'integer',
      description: `Width in pixels (rounded to a multiple of ${multipleOf})`,
      default: defaults.width,
      min,
      max,
      multipleOf,
      bind: width,
    },
    {
      name: 'height',
      type: 'integer',
      description: `Height in pixels (rounded to a multiple of ${multipleOf})`,
      default: defaults.height,
      min,
      max,
      multipleOf,
      bind: height,
    },
  ];
}

export function framesParameter(bind: Bind): ParameterSpec {
  const { min, max, default: fallback } = videoLimits.frames;
  return {
    name: 'frames',
    type: 'integer',
    description: `Number of frames (Wan makes 4k+1: 33, 49, 81 …; others are rounded to the nearest)`,
    default: fallback,
    min,
    max,
    bind,
  };
}

export function fpsParameter(bind: Bind): ParameterSpec {
  const { min, max, default: fallback } = videoLimits.fps;
  return {
    name: 'fps',
    type: 'integer',
    description: 'Frames per second of the file',
    default: fallback,
    min,
    max,
    bind,
  };
}

export function stepsParameter(bind: Bind): ParameterSpec {
  const { min, max, default: fallback } = videoLimits.steps;
  return {
    name: 'steps',
    type: 'integer',
    description: 'Sampling steps, split between the high- and low-noise models',
    default: fallback,
    min,
    max,
    bind,
  };
}

export function cfgParameter(bind: Bind): ParameterSpec {
  const { min, max, default: fallback } = videoLimits.cfg;
  return {
    name: 'cfg',
    type: 'number',
    description: 'How closely to follow the prompt (CFG scale)',
    default: fallback,
    min,
    max,
    bind,
  };
}

export function seedParameter(bind: Bind): ParameterSpec {
  return { name: 'seed', type: 'seed', description: 'Seed (random unless given)', bind };
}

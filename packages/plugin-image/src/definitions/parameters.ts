import type { ParameterBinding, ParameterSpec, ParameterValues } from '@comfyrelay/core';
import { MIN_SIDE, type ImageSize, type ResolvedImageOptions } from '../ImagePluginOptions.js';
import { applyAspect } from '../size/applyAspect.js';
import { ASPECT_PRESETS } from '../size/sizeForAspect.js';

/** Builders for the parameters the image workflows share, so every workflow names and limits them alike. */

type Bind = ParameterBinding | ParameterBinding[];

const at = (node: string, input: string): ParameterBinding => ({ node, input });

export { at };

export function promptParameter(bind: Bind): ParameterSpec {
  return {
    name: 'prompt',
    type: 'string',
    description: 'What to draw',
    required: true,
    maxLength: 2000,
    bind,
  };
}

export function negativeParameter(bind: Bind): ParameterSpec {
  return {
    name: 'negative',
    type: 'string',
    description: 'What to keep out of the picture',
    aliases: ['no'],
    default: '',
    maxLength: 2000,
    bind,
  };
}

export function checkpointParameter(options: ResolvedImageOptions, bind: Bind): ParameterSpec {
  return {
    name: 'checkpoint',
    type: 'choice',
    description: 'Model checkpoint',
    default: options.defaultCheckpoint,
    choices: { classType: 'CheckpointLoaderSimple', input: 'ckpt_name' },
    bind,
  };
}

/**
 * An aspect ratio (`16:9`, `3:2`, `1:1` …) that sets width and height in the definition's
 * `prepare` hook ({@link applyAspect}); it binds to no node input itself.
 */
export function aspectParameter(): ParameterSpec {
  return {
    name: 'aspect',
    type: 'string',
    description: `Aspect ratio, like ${ASPECT_PRESETS.join(', ')} (width and height you give win)`,
    aliases: ['ar'],
    default: '',
    maxLength: 16,
    bind: [],
  };
}

/** The `prepare` hook that turns `aspect` into width and height. */
export function aspectPrepare(
  options: ResolvedImageOptions,
  defaults: ImageSize,
  multipleOf: number,
): (values: ParameterValues, given: ReadonlySet<string>) => ParameterValues {
  const rules = { defaults, multipleOf, maxSide: options.maxSide };
  return (values, given) => applyAspect(values, rules, given);
}

/** Width and height bind straight to the latent node; values are rounded to what the model needs. */
export function sizeParameters(
  options: ResolvedImageOptions,
  defaults: ImageSize,
  multipleOf: number,
  width: Bind,
  height: Bind,
): ParameterSpec[] {
  const limits = { min: MIN_SIDE, max: options.maxSide, multipleOf };
  return [
    {
      name: 'width',
      type: 'integer',
      description: `Width in pixels (rounded to a multiple of ${multipleOf})`,
      default: defaults.width,
      ...limits,
      bind: width,
    },
    {
      name: 'height',
      type: 'integer',
      description: `Height in pixels (rounded to a multiple of ${multipleOf})`,
      default: defaults.height,
      ...limits,
      bind: height,
    },
  ];
}

export function batchSizeParameter(options: ResolvedImageOptions, bind: Bind): ParameterSpec {
  return {
    name: 'batch_size',
    type: 'integer',
    description: 'How many pictures',
    default: 1,
    min: 1,
    max: options.maxBatchSize,
    bind,
  };
}

export function stepsParameter(
  options: ResolvedImageOptions,
  bind: Bind,
  fallback = 20,
  name = 'steps',
  description = 'Sampling steps',
): ParameterSpec {
  return {
    name,
    type: 'integer',
    description,
    default: fallback,
    min: 1,
    max: options.maxSteps,
    bind,
  };
}

export function cfgParameter(bind: Bind): ParameterSpec {
  return {
    name: 'cfg',
    type: 'number',
    description: 'How closely to follow the prompt (CFG scale)',
    default: 7,
    min: 0,
    max: 30,
    bind,
  };
}

export function samplerParameter(
  bind: Bind,
  classType = 'KSampler',
  fallback = 'euler',
): ParameterSpec {
  return {
    name: 'sampler',
    type: 'choice',
    description: 'Sampler',
    default: fallback,
    choices: { classType, input: 'sampler_name' },
    bind,
  };
}

export function schedulerParameter(
  bind: Bind,
  classType = 'KSampler',
  fallback = 'normal',
): ParameterSpec {
  return {
    name: 'scheduler',
    type: 'choice',
    description: 'Noise schedule',
    default: fallback,
    choices: { classType, input: 'scheduler' },
    bind,
  };
}

export function seedParameter(bind: Bind): ParameterSpec {
  return { name: 'seed', type: 'seed', description: 'Seed (random unless given)', bind };
}

export function denoiseParameter(
  bind: Bind,
  fallback: number,
  name = 'denoise',
  description = 'How much to change the picture (0 keeps it, 1 redraws it)',
): ParameterSpec {
  return { name, type: 'number', description, default: fallback, min: 0.01, max: 1, bind };
}

export function imageParameter(
  bind: Bind,
  description = 'The picture to start from',
): ParameterSpec {
  return { name: 'image', type: 'image', description, required: true, bind };
}

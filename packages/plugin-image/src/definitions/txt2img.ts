import type { ParameterSpec, WorkflowDefinition } from '@comfyrelay/core';
import { loadTemplate } from '../templates/loadTemplate.js';
import { commonParts, type ImageWorkflowContext } from './ImageWorkflowContext.js';
import {
  aspectParameter,
  aspectPrepare,
  at,
  batchSizeParameter,
  cfgParameter,
  checkpointParameter,
  negativeParameter,
  promptParameter,
  samplerParameter,
  schedulerParameter,
  seedParameter,
  sizeParameters,
  stepsParameter,
} from './parameters.js';

/** Node ids of workflows/txt2img.json. */
export const TXT2IMG_NODES = {
  checkpoint: '4',
  positive: '6',
  negative: '7',
  latent: '5',
  sampler: '3',
  decode: '8',
  save: '9',
} as const;

/** CheckpointLoaderSimple → CLIPTextEncode ×2 → EmptyLatentImage → KSampler → VAEDecode → SaveImage. */
export function txt2imgDefinition(context: ImageWorkflowContext): WorkflowDefinition {
  const n = TXT2IMG_NODES;
  return {
    id: 'image.txt2img',
    title: 'Text to image',
    description: 'Draw a picture from a prompt with a checkpoint model (SD 1.5, SDXL …).',
    template: loadTemplate('txt2img'),
    parameters: [
      promptParameter(at(n.positive, 'text')),
      ...checkpointSamplingParameters(context, n),
    ],
    prepare: aspectPrepare(context.options, context.options.defaultSize, 8),
    ...commonParts(context, 'image.txt2img'),
  };
}

/**
 * Everything after the prompt that a checkpoint txt2img graph offers (negative, aspect, size, model,
 * sampling, seed, batch); shared by image.txt2img and image.txt2img-lora, whose nodes match.
 */
export function checkpointSamplingParameters(
  { options }: ImageWorkflowContext,
  n: Pick<typeof TXT2IMG_NODES, 'checkpoint' | 'negative' | 'latent' | 'sampler'>,
): ParameterSpec[] {
  return [
    negativeParameter(at(n.negative, 'text')),
    aspectParameter(),
    ...sizeParameters(
      options,
      options.defaultSize,
      8,
      at(n.latent, 'width'),
      at(n.latent, 'height'),
    ),
    checkpointParameter(options, at(n.checkpoint, 'ckpt_name')),
    stepsParameter(options, at(n.sampler, 'steps')),
    cfgParameter(at(n.sampler, 'cfg')),
    samplerParameter(at(n.sampler, 'sampler_name')),
    schedulerParameter(at(n.sampler, 'scheduler')),
    seedParameter(at(n.sampler, 'seed')),
    batchSizeParameter(options, at(n.latent, 'batch_size')),
  ];
}

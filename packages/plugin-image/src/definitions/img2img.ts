import type { WorkflowDefinition } from '@comfyrelay/core';
import { loadTemplate } from '../templates/loadTemplate.js';
import { commonParts, type ImageWorkflowContext } from './ImageWorkflowContext.js';
import {
  at,
  cfgParameter,
  checkpointParameter,
  denoiseParameter,
  imageParameter,
  negativeParameter,
  promptParameter,
  samplerParameter,
  schedulerParameter,
  seedParameter,
  stepsParameter,
} from './parameters.js';

/** Node ids of workflows/img2img.json. */
export const IMG2IMG_NODES = {
  checkpoint: '4',
  image: '10',
  encode: '11',
  positive: '6',
  negative: '7',
  sampler: '3',
  decode: '8',
  save: '9',
} as const;

/** LoadImage → VAEEncode → KSampler (denoise < 1) → VAEDecode → SaveImage; the size is the picture's. */
export function img2imgDefinition(context: ImageWorkflowContext): WorkflowDefinition {
  const { options } = context;
  const n = IMG2IMG_NODES;
  return {
    id: 'image.img2img',
    title: 'Image to image',
    description: 'Redraw a picture you give, guided by a prompt; denoise sets how much changes.',
    template: loadTemplate('img2img'),
    parameters: [
      imageParameter(at(n.image, 'image')),
      promptParameter(at(n.positive, 'text')),
      denoiseParameter(at(n.sampler, 'denoise'), 0.6),
      negativeParameter(at(n.negative, 'text')),
      checkpointParameter(options, at(n.checkpoint, 'ckpt_name')),
      stepsParameter(options, at(n.sampler, 'steps')),
      cfgParameter(at(n.sampler, 'cfg')),
      samplerParameter(at(n.sampler, 'sampler_name')),
      schedulerParameter(at(n.sampler, 'scheduler')),
      seedParameter(at(n.sampler, 'seed')),
    ],
    ...commonParts(context, 'image.img2img'),
  };
}

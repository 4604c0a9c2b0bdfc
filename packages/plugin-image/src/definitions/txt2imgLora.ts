import type { WorkflowDefinition } from '@comfyrelay/core';
import { loadTemplate } from '../templates/loadTemplate.js';
import { commonParts, type ImageWorkflowContext } from './ImageWorkflowContext.js';
import { aspectPrepare, at, promptParameter } from './parameters.js';
import { checkpointSamplingParameters } from './txt2img.js';

/** Node ids of workflows/txt2img-lora.json: txt2img with a LoraLoader (10) between the checkpoint and its users. */
export const TXT2IMG_LORA_NODES = {
  checkpoint: '4',
  lora: '10',
  positive: '6',
  negative: '7',
  latent: '5',
  sampler: '3',
  decode: '8',
  save: '9',
} as const;

/**
 * Text to image with one LoRA. A separate definition rather than a strength-0 LoRA in
 * image.txt2img: ComfyUI validates `lora_name` against the installed files even at strength 0,
 * so a server without LoRAs could not run a template that always contains a LoraLoader.
 */
export function txt2imgLoraDefinition(context: ImageWorkflowContext): WorkflowDefinition {
  const n = TXT2IMG_LORA_NODES;
  return {
    id: 'image.txt2img-lora',
    title: 'Text to image with LoRA',
    description:
      'Draw a picture from a prompt with a checkpoint model and a LoRA (a style or character add-on).',
    template: loadTemplate('txt2img-lora'),
    parameters: [
      promptParameter(at(n.positive, 'text')),
      {
        name: 'lora',
        type: 'choice',
        description: 'LoRA to apply',
        required: true,
        choices: { classType: 'LoraLoader', input: 'lora_name' },
        bind: at(n.lora, 'lora_name'),
      },
      {
        name: 'lora_strength',
        type: 'number',
        description: 'How strongly the LoRA applies (0 turns it off)',
        default: 1,
        min: -2,
        max: 2,
        bind: [at(n.lora, 'strength_model'), at(n.lora, 'strength_clip')],
      },
      ...checkpointSamplingParameters(context, n),
    ],
    prepare: aspectPrepare(context.options, context.options.defaultSize, 8),
    ...commonParts(context, 'image.txt2img-lora'),
  };
}

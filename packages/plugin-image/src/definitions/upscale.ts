import type { WorkflowDefinition } from '@comfyrelay/core';
import { loadTemplate } from '../templates/loadTemplate.js';
import { commonParts, type ImageWorkflowContext } from './ImageWorkflowContext.js';
import { at, imageParameter } from './parameters.js';

/** Node ids of workflows/upscale.json. */
export const UPSCALE_NODES = {
  image: '10',
  model: '11',
  upscale: '12',
  resize: '13',
  save: '9',
} as const;

/**
 * LoadImage → UpscaleModelLoader + ImageUpscaleWithModel → ImageScaleBy → SaveImage. Upscale
 * models have a fixed factor (mostly 4×); `resize` scales their output, so 0.5 with a 4× model
 * gives twice the original size (and a file a chat platform still accepts).
 */
export function upscaleDefinition(context: ImageWorkflowContext): WorkflowDefinition {
  const { options } = context;
  const n = UPSCALE_NODES;
  return {
    id: 'image.upscale',
    title: 'Upscale',
    description: 'Enlarge a picture with an upscale model (ESRGAN …).',
    template: loadTemplate('upscale'),
    parameters: [
      imageParameter(at(n.image, 'image'), 'The picture to enlarge'),
      {
        name: 'model',
        type: 'choice',
        description: 'Upscale model',
        default: options.upscaleModel,
        choices: { classType: 'UpscaleModelLoader', input: 'model_name' },
        bind: at(n.model, 'model_name'),
      },
      {
        name: 'resize',
        type: 'number',
        description: "Resize the model's output (0.5 with a 4× model = 2× the original)",
        default: 0.5,
        min: 0.1,
        max: 2,
        bind: at(n.resize, 'scale_by'),
      },
      {
        name: 'resize_method',
        type: 'choice',
        description: 'Filter used for the resize',
        default: 'lanczos',
        choices: { classType: 'ImageScaleBy', input: 'upscale_method' },
        bind: at(n.resize, 'upscale_method'),
      },
    ],
    ...commonParts(context, 'image.upscale'),
  };
}

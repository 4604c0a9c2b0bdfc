import type { WorkflowDefinition } from '@comfyrelay/core';
import { loadTemplate } from '../templates/loadTemplate.js';
import { commonParts, type ImageWorkflowContext } from './ImageWorkflowContext.js';
import {
  aspectParameter,
  aspectPrepare,
  at,
  batchSizeParameter,
  cfgParameter,
  checkpointParameter,
  denoiseParameter,
  negativeParameter,
  promptParameter,
  samplerParameter,
  schedulerParameter,
  seedParameter,
  sizeParameters,
  stepsParameter,
} from './parameters.js';

/** Node ids of workflows/hires.json: two KSamplers (3, 11) with a LatentUpscaleBy (10) between them. */
export const HIRES_NODES = {
  checkpoint: '4',
  positive: '6',
  negative: '7',
  latent: '5',
  firstPass: '3',
  upscale: '10',
  secondPass: '11',
  decode: '8',
  save: '9',
} as const;

/**
 * Two-pass "hires fix": sample at the model's native size, enlarge the latent, then resample it
 * at low denoise to add detail. Seed, CFG, sampler and scheduler bind to both passes.
 */
export function hiresDefinition(context: ImageWorkflowContext): WorkflowDefinition {
  const { options } = context;
  const n = HIRES_NODES;
  const bothPasses = (input: string) => [at(n.firstPass, input), at(n.secondPass, input)];
  return {
    id: 'image.hires',
    title: 'Text to image, hires fix',
    description:
      'Draw at the native size, enlarge, then refine in a second pass: bigger pictures with more detail.',
    template: loadTemplate('hires'),
    parameters: [
      promptParameter(at(n.positive, 'text')),
      negativeParameter(at(n.negative, 'text')),
      aspectParameter(),
      ...sizeParameters(
        options,
        options.defaultSize,
        8,
        at(n.latent, 'width'),
        at(n.latent, 'height'),
      ),
      {
        name: 'hires_scale',
        type: 'number',
        description: 'How much the second pass enlarges the first',
        default: 1.5,
        min: 1,
        max: 2,
        bind: at(n.upscale, 'scale_by'),
      },
      checkpointParameter(options, at(n.checkpoint, 'ckpt_name')),
      stepsParameter(options, at(n.firstPass, 'steps')),
      stepsParameter(
        options,
        at(n.secondPass, 'steps'),
        12,
        'hires_steps',
        'Sampling steps of the second pass',
      ),
      denoiseParameter(
        at(n.secondPass, 'denoise'),
        0.5,
        'hires_denoise',
        'How much the second pass redraws (0 keeps the first pass, 1 redraws it)',
      ),
      cfgParameter(bothPasses('cfg')),
      samplerParameter(bothPasses('sampler_name')),
      schedulerParameter(bothPasses('scheduler')),
      seedParameter(bothPasses('seed')),
      batchSizeParameter(options, at(n.latent, 'batch_size')),
    ],
    prepare: aspectPrepare(options, options.defaultSize, 8),
    ...commonParts(context, 'image.hires'),
  };
}

import type { WorkflowDefinition } from '@comfyrelay/core';
import { loadTemplate } from '../templates/loadTemplate.js';
import { commonParts, type ImageWorkflowContext } from './ImageWorkflowContext.js';
import {
  aspectParameter,
  aspectPrepare,
  at,
  batchSizeParameter,
  promptParameter,
  samplerParameter,
  schedulerParameter,
  seedParameter,
  sizeParameters,
  stepsParameter,
} from './parameters.js';

/** Node ids of workflows/flux.json (the layout of ComfyUI's Flux dev example). */
export const FLUX_NODES = {
  unet: '10',
  clip: '11',
  vae: '12',
  positive: '6',
  guidance: '26',
  latent: '27',
  noise: '25',
  samplerSelect: '16',
  scheduler: '17',
  guider: '22',
  sampler: '13',
  decode: '8',
  save: '9',
} as const;

/**
 * UNETLoader + DualCLIPLoader + VAELoader → CLIPTextEncode → FluxGuidance → BasicGuider;
 * RandomNoise, KSamplerSelect, BasicScheduler → SamplerCustomAdvanced → VAEDecode → SaveImage.
 * Flux has no negative prompt and no CFG: `guidance` takes that role.
 */
export function fluxDefinition(context: ImageWorkflowContext): WorkflowDefinition {
  const { options } = context;
  const n = FLUX_NODES;
  const flux = options.flux;
  return {
    id: 'image.flux',
    title: 'Text to image (Flux)',
    description:
      'Draw a picture from a prompt with a Flux model (diffusion model, T5 + CLIP-L text encoders, VAE).',
    template: loadTemplate('flux'),
    parameters: [
      promptParameter(at(n.positive, 'text')),
      aspectParameter(),
      ...sizeParameters(
        options,
        flux.defaultSize,
        16,
        at(n.latent, 'width'),
        at(n.latent, 'height'),
      ),
      stepsParameter(options, at(n.scheduler, 'steps')),
      {
        name: 'guidance',
        type: 'number',
        description: 'How closely to follow the prompt (Flux guidance)',
        default: 3.5,
        min: 0,
        max: 30,
        bind: at(n.guidance, 'guidance'),
      },
      samplerParameter(at(n.samplerSelect, 'sampler_name'), 'KSamplerSelect', 'euler'),
      schedulerParameter(at(n.scheduler, 'scheduler'), 'BasicScheduler', 'simple'),
      seedParameter(at(n.noise, 'noise_seed')),
      batchSizeParameter(options, at(n.latent, 'batch_size')),
      {
        name: 'unet',
        type: 'choice',
        description: 'Flux diffusion model',
        default: flux.unet,
        choices: { classType: 'UNETLoader', input: 'unet_name' },
        bind: at(n.unet, 'unet_name'),
      },
      {
        name: 't5_encoder',
        type: 'choice',
        description: 'T5 text encoder',
        default: flux.t5Encoder,
        choices: { classType: 'DualCLIPLoader', input: 'clip_name1' },
        bind: at(n.clip, 'clip_name1'),
      },
      {
        name: 'clip_encoder',
        type: 'choice',
        description: 'CLIP-L text encoder',
        default: flux.clipEncoder,
        choices: { classType: 'DualCLIPLoader', input: 'clip_name2' },
        bind: at(n.clip, 'clip_name2'),
      },
      {
        name: 'vae',
        type: 'choice',
        description: 'VAE',
        default: flux.vae,
        choices: { classType: 'VAELoader', input: 'vae_name' },
        bind: at(n.vae, 'vae_name'),
      },
    ],
    prepare: aspectPrepare(options, flux.defaultSize, 16),
    ...commonParts(context, 'image.flux'),
  };
}

import type { NodeDefinition } from './types.js';
import { expectValue, type ImageValue, type LatentValue } from './values.js';
import { numberInput } from './input-values.js';
import { EMPTY_LATENT_COLOUR, renderSample } from './latent-render.js';
import { MAX_RESOLUTION } from './sampler-choices.js';

const VAE_LATENCY_MS = 2;

const emptyLatentImage: NodeDefinition = {
  classType: 'EmptyLatentImage',
  displayName: 'Empty Latent Image',
  description: 'Create a new batch of empty latent images to be denoised via sampling.',
  category: 'latent',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  inputTypes: () => ({
    required: {
      width: [
        'INT',
        {
          default: 512,
          min: 16,
          max: MAX_RESOLUTION,
          step: 8,
          tooltip: 'The width of the latent images in pixels.',
        },
      ],
      height: [
        'INT',
        {
          default: 512,
          min: 16,
          max: MAX_RESOLUTION,
          step: 8,
          tooltip: 'The height of the latent images in pixels.',
        },
      ],
      batch_size: [
        'INT',
        { default: 1, min: 1, max: 4096, tooltip: 'The number of latent images in the batch.' },
      ],
    },
  }),
  async execute(inputs) {
    const batch = numberInput(inputs, 'batch_size', 1);
    const latent: LatentValue = {
      kind: 'LATENT',
      width: numberInput(inputs, 'width', 512),
      height: numberInput(inputs, 'height', 512),
      samples: Array.from({ length: batch }, () => ({ colour: EMPTY_LATENT_COLOUR })),
    };
    return { outputs: [latent] };
  },
};

const vaeDecode: NodeDefinition = {
  classType: 'VAEDecode',
  displayName: 'VAE Decode',
  description: 'Decodes latent images back into pixel space images.',
  category: 'latent',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  inputTypes: () => ({
    required: {
      samples: ['LATENT', { tooltip: 'The latent to be decoded.' }],
      vae: ['VAE', { tooltip: 'The VAE model used for decoding the latent.' }],
    },
  }),
  async execute(inputs, ctx) {
    const latent = expectValue(inputs['samples'], 'LATENT', 'samples');
    expectValue(inputs['vae'], 'VAE', 'vae');
    await ctx.pause(VAE_LATENCY_MS);
    const images: ImageValue = {
      kind: 'IMAGE',
      images: latent.samples.map((sample) => renderSample(sample, latent)),
    };
    return { outputs: [images] };
  },
};

const vaeEncode: NodeDefinition = {
  classType: 'VAEEncode',
  displayName: 'VAE Encode',
  description: '',
  category: 'latent',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  inputTypes: () => ({ required: { pixels: ['IMAGE'], vae: ['VAE'] } }),
  async execute(inputs, ctx) {
    const pixels = expectValue(inputs['pixels'], 'IMAGE', 'pixels');
    expectValue(inputs['vae'], 'VAE', 'vae');
    await ctx.pause(VAE_LATENCY_MS);
    const first = pixels.images[0];
    const latent: LatentValue = {
      kind: 'LATENT',
      width: first?.width ?? 64,
      height: first?.height ?? 64,
      samples: pixels.images.map((image) => ({ image })),
    };
    return { outputs: [latent] };
  },
};

export const latentNodes: readonly NodeDefinition[] = [emptyLatentImage, vaeDecode, vaeEncode];

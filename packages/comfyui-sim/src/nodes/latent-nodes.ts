import type { NodeDefinition } from './types.js';
import { expectValue, type LatentValue } from './values.js';
import { numberInput } from './input-values.js';
import { decodeLatent, EMPTY_LATENT_COLOUR, latentFramesFor } from './latent-render.js';
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
    return { outputs: [decodeLatent(latent)] };
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
    const latent: LatentValue = {
      kind: 'LATENT',
      width: pixels.width,
      height: pixels.height,
      samples: pixels.images.map((image) => ({ image })),
    };
    return { outputs: [latent] };
  },
};

const emptySd3LatentImage: NodeDefinition = {
  classType: 'EmptySD3LatentImage',
  displayName: 'EmptySD3LatentImage',
  description: '',
  category: 'latent/sd3',
  pythonModule: 'comfy_extras.nodes_sd3',
  outputNode: false,
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  inputTypes: () => ({
    required: {
      width: ['INT', { default: 1024, min: 16, max: MAX_RESOLUTION, step: 16 }],
      height: ['INT', { default: 1024, min: 16, max: MAX_RESOLUTION, step: 16 }],
      batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
    },
  }),
  async execute(inputs) {
    const batch = numberInput(inputs, 'batch_size', 1);
    const latent: LatentValue = {
      kind: 'LATENT',
      width: numberInput(inputs, 'width', 1024),
      height: numberInput(inputs, 'height', 1024),
      samples: Array.from({ length: batch }, () => ({ colour: EMPTY_LATENT_COLOUR })),
    };
    return { outputs: [latent] };
  },
};

/** Wan 2.1/2.2 text-to-video uses this empty latent too (same 16-channel video layout). */
const emptyHunyuanLatentVideo: NodeDefinition = {
  classType: 'EmptyHunyuanLatentVideo',
  displayName: 'EmptyHunyuanLatentVideo',
  description: '',
  category: 'latent/video',
  pythonModule: 'comfy_extras.nodes_hunyuan',
  outputNode: false,
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  inputTypes: () => ({
    required: {
      width: ['INT', { default: 848, min: 16, max: MAX_RESOLUTION, step: 16 }],
      height: ['INT', { default: 480, min: 16, max: MAX_RESOLUTION, step: 16 }],
      length: ['INT', { default: 25, min: 1, max: MAX_RESOLUTION, step: 4 }],
      batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
    },
  }),
  async execute(inputs) {
    const batch = numberInput(inputs, 'batch_size', 1);
    const latent: LatentValue = {
      kind: 'LATENT',
      width: numberInput(inputs, 'width', 848),
      height: numberInput(inputs, 'height', 480),
      samples: Array.from({ length: batch }, () => ({ colour: EMPTY_LATENT_COLOUR })),
      video: { latentFrames: latentFramesFor(numberInput(inputs, 'length', 25)) },
    };
    return { outputs: [latent] };
  },
};

export const latentNodes: readonly NodeDefinition[] = [
  emptyLatentImage,
  vaeDecode,
  vaeEncode,
  emptySd3LatentImage,
  emptyHunyuanLatentVideo,
];

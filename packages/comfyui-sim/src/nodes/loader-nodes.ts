import type { NodeDefinition } from './types.js';
import { expectValue, type ClipValue, type ModelValue, type VaeValue } from './values.js';
import { numberInput, stringInput } from './input-values.js';

/** Loading "weights" takes a moment but reports no progress, like the real loaders. */
const LOAD_LATENCY_MS = 3;

const checkpointLoaderSimple: NodeDefinition = {
  classType: 'CheckpointLoaderSimple',
  displayName: 'Load Checkpoint',
  description: 'Loads a diffusion model checkpoint, diffusion models are used to denoise latents.',
  category: 'loaders',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [
    { type: 'MODEL', name: 'MODEL' },
    { type: 'CLIP', name: 'CLIP' },
    { type: 'VAE', name: 'VAE' },
  ],
  inputTypes: (catalog) => ({
    required: {
      ckpt_name: [catalog.checkpoints, { tooltip: 'The name of the checkpoint (model) to load.' }],
    },
  }),
  async execute(inputs, ctx) {
    await ctx.pause(LOAD_LATENCY_MS);
    const checkpoint = stringInput(inputs, 'ckpt_name', '');
    const model: ModelValue = { kind: 'MODEL', checkpoint, loras: [] };
    const clip: ClipValue = { kind: 'CLIP', checkpoint, loras: [] };
    const vae: VaeValue = { kind: 'VAE', checkpoint };
    return { outputs: [model, clip, vae] };
  },
};

const loraLoader: NodeDefinition = {
  classType: 'LoraLoader',
  displayName: 'Load LoRA',
  description:
    'LoRAs are used to modify diffusion and CLIP models, altering the way in which latents are denoised such as applying styles. Multiple LoRA nodes can be linked together.',
  category: 'loaders',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [
    { type: 'MODEL', name: 'MODEL' },
    { type: 'CLIP', name: 'CLIP' },
  ],
  inputTypes: (catalog) => ({
    required: {
      model: ['MODEL', { tooltip: 'The diffusion model the LoRA will be applied to.' }],
      clip: ['CLIP', { tooltip: 'The CLIP model the LoRA will be applied to.' }],
      lora_name: [catalog.loras, { tooltip: 'The name of the LoRA.' }],
      strength_model: [
        'FLOAT',
        {
          default: 1.0,
          min: -100.0,
          max: 100.0,
          step: 0.01,
          tooltip: 'How strongly to modify the diffusion model. This value can be negative.',
        },
      ],
      strength_clip: [
        'FLOAT',
        {
          default: 1.0,
          min: -100.0,
          max: 100.0,
          step: 0.01,
          tooltip: 'How strongly to modify the CLIP model. This value can be negative.',
        },
      ],
    },
  }),
  async execute(inputs, ctx) {
    await ctx.pause(LOAD_LATENCY_MS);
    const model = expectValue(inputs['model'], 'MODEL', 'model');
    const clip = expectValue(inputs['clip'], 'CLIP', 'clip');
    const lora = stringInput(inputs, 'lora_name', '');
    const strengthModel = numberInput(inputs, 'strength_model', 1);
    const strengthClip = numberInput(inputs, 'strength_clip', 1);
    return {
      outputs: [
        strengthModel === 0
          ? model
          : { ...model, loras: [...model.loras, `${lora}:${strengthModel}`] },
        strengthClip === 0 ? clip : { ...clip, loras: [...clip.loras, `${lora}:${strengthClip}`] },
      ],
    };
  },
};

export const loaderNodes: readonly NodeDefinition[] = [checkpointLoaderSimple, loraLoader];

import type { NodeDefinition } from './types.js';
import { expectValue } from './values.js';
import { numberInput, stringInput } from './input-values.js';
import { runSampler } from './sampler-run.js';
import { SAMPLER_NAMES, SCHEDULER_NAMES, SEED_MAX } from './sampler-choices.js';

const kSampler: NodeDefinition = {
  classType: 'KSampler',
  displayName: 'KSampler',
  description:
    'Uses the provided model, positive and negative conditioning to denoise the latent image.',
  category: 'sampling',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  inputTypes: () => ({
    required: {
      model: ['MODEL', { tooltip: 'The model used for denoising the input latent.' }],
      seed: [
        'INT',
        {
          default: 0,
          min: 0,
          max: SEED_MAX,
          control_after_generate: true,
          tooltip: 'The random seed used for creating the noise.',
        },
      ],
      steps: [
        'INT',
        {
          default: 20,
          min: 1,
          max: 10000,
          tooltip: 'The number of steps used in the denoising process.',
        },
      ],
      cfg: [
        'FLOAT',
        {
          default: 8.0,
          min: 0.0,
          max: 100.0,
          step: 0.1,
          round: 0.01,
          tooltip:
            'The Classifier-Free Guidance scale balances creativity and adherence to the prompt. Higher values result in images more closely matching the prompt however too high values will negatively impact quality.',
        },
      ],
      sampler_name: [
        SAMPLER_NAMES,
        {
          tooltip:
            'The algorithm used when sampling, this can affect the quality, speed, and style of the generated output.',
        },
      ],
      scheduler: [
        SCHEDULER_NAMES,
        { tooltip: 'The scheduler controls how noise is gradually removed to form the image.' },
      ],
      positive: [
        'CONDITIONING',
        { tooltip: 'The conditioning describing the attributes you want to include in the image.' },
      ],
      negative: [
        'CONDITIONING',
        {
          tooltip: 'The conditioning describing the attributes you want to exclude from the image.',
        },
      ],
      latent_image: ['LATENT', { tooltip: 'The latent image to denoise.' }],
      denoise: [
        'FLOAT',
        {
          default: 1.0,
          min: 0.0,
          max: 1.0,
          step: 0.01,
          tooltip:
            'The amount of denoising applied, lower values will maintain the structure of the initial image allowing for image to image sampling.',
        },
      ],
    },
  }),
  async execute(inputs, ctx) {
    const steps = numberInput(inputs, 'steps', 20);
    const latent = await runSampler(ctx, {
      seed: numberInput(inputs, 'seed', 0),
      steps,
      denoise: numberInput(inputs, 'denoise', 1),
      model: expectValue(inputs['model'], 'MODEL', 'model'),
      positive: expectValue(inputs['positive'], 'CONDITIONING', 'positive'),
      negative: expectValue(inputs['negative'], 'CONDITIONING', 'negative'),
      latent: expectValue(inputs['latent_image'], 'LATENT', 'latent_image'),
      settings: [steps, inputs['cfg'], inputs['sampler_name'], inputs['scheduler']].join('|'),
    });
    return { outputs: [latent] };
  },
};

const kSamplerAdvanced: NodeDefinition = {
  classType: 'KSamplerAdvanced',
  displayName: 'KSampler (Advanced)',
  description: '',
  category: 'sampling',
  pythonModule: 'nodes',
  outputNode: false,
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  inputTypes: () => ({
    required: {
      model: ['MODEL'],
      add_noise: [['enable', 'disable']],
      noise_seed: ['INT', { default: 0, min: 0, max: SEED_MAX, control_after_generate: true }],
      steps: ['INT', { default: 20, min: 1, max: 10000 }],
      cfg: ['FLOAT', { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 }],
      sampler_name: [SAMPLER_NAMES],
      scheduler: [SCHEDULER_NAMES],
      positive: ['CONDITIONING'],
      negative: ['CONDITIONING'],
      latent_image: ['LATENT'],
      start_at_step: ['INT', { default: 0, min: 0, max: 10000 }],
      end_at_step: ['INT', { default: 10000, min: 0, max: 10000 }],
      return_with_leftover_noise: [['disable', 'enable']],
    },
  }),
  async execute(inputs, ctx) {
    const steps = numberInput(inputs, 'steps', 20);
    const start = numberInput(inputs, 'start_at_step', 0);
    const end = numberInput(inputs, 'end_at_step', 10000);
    const latent = await runSampler(ctx, {
      seed: numberInput(inputs, 'noise_seed', 0),
      steps: Math.max(0, Math.min(end, steps) - start),
      denoise: 1,
      model: expectValue(inputs['model'], 'MODEL', 'model'),
      positive: expectValue(inputs['positive'], 'CONDITIONING', 'positive'),
      negative: expectValue(inputs['negative'], 'CONDITIONING', 'negative'),
      latent: expectValue(inputs['latent_image'], 'LATENT', 'latent_image'),
      settings: [
        steps,
        start,
        end,
        inputs['cfg'],
        inputs['sampler_name'],
        inputs['scheduler'],
        stringInput(inputs, 'add_noise', 'enable'),
      ].join('|'),
    });
    return { outputs: [latent] };
  },
};

export const samplingNodes: readonly NodeDefinition[] = [kSampler, kSamplerAdvanced];

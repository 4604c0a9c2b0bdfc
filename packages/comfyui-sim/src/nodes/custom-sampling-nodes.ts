import type { NodeDefinition } from './types.js';
import {
  expectValue,
  type ConditioningValue,
  type GuiderValue,
  type NoiseValue,
  type SamplerValue,
  type SigmasValue,
} from './values.js';
import { numberInput, stringInput } from './input-values.js';
import { runSampler } from './sampler-run.js';
import { SAMPLER_NAMES, SCHEDULER_NAMES, SEED_MAX } from './sampler-choices.js';

/** comfy_extras/nodes_custom_sampler.py: the pieces of SamplerCustomAdvanced (Flux, Wan…). */
const PYTHON_MODULE = 'comfy_extras.nodes_custom_sampler';

const randomNoise: NodeDefinition = {
  classType: 'RandomNoise',
  displayName: 'RandomNoise',
  description: '',
  category: 'sampling/custom_sampling/noise',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [{ type: 'NOISE', name: 'NOISE' }],
  inputTypes: () => ({
    required: {
      noise_seed: ['INT', { default: 0, min: 0, max: SEED_MAX, control_after_generate: true }],
    },
  }),
  async execute(inputs) {
    const noise: NoiseValue = { kind: 'NOISE', seed: numberInput(inputs, 'noise_seed', 0) };
    return { outputs: [noise] };
  },
};

const kSamplerSelect: NodeDefinition = {
  classType: 'KSamplerSelect',
  displayName: 'KSamplerSelect',
  description: '',
  category: 'sampling/custom_sampling/samplers',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [{ type: 'SAMPLER', name: 'SAMPLER' }],
  inputTypes: () => ({ required: { sampler_name: [SAMPLER_NAMES] } }),
  async execute(inputs) {
    const sampler: SamplerValue = {
      kind: 'SAMPLER',
      name: stringInput(inputs, 'sampler_name', 'euler'),
    };
    return { outputs: [sampler] };
  },
};

const basicScheduler: NodeDefinition = {
  classType: 'BasicScheduler',
  displayName: 'BasicScheduler',
  description: '',
  category: 'sampling/custom_sampling/schedulers',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [{ type: 'SIGMAS', name: 'SIGMAS' }],
  inputTypes: () => ({
    required: {
      model: ['MODEL'],
      scheduler: [SCHEDULER_NAMES],
      steps: ['INT', { default: 20, min: 1, max: 10000 }],
      denoise: ['FLOAT', { default: 1.0, min: 0.0, max: 1.0, step: 0.01 }],
    },
  }),
  async execute(inputs) {
    expectValue(inputs['model'], 'MODEL', 'model');
    const steps = numberInput(inputs, 'steps', 20);
    const denoise = numberInput(inputs, 'denoise', 1);
    // denoise < 1 computes steps/denoise sigmas and keeps the last steps + 1; denoise 0 gives none.
    const sigmas: SigmasValue = {
      kind: 'SIGMAS',
      steps: denoise <= 0 ? 0 : steps,
      denoise,
      settings: [stringInput(inputs, 'scheduler', 'simple'), steps, denoise].join(':'),
    };
    return { outputs: [sigmas] };
  },
};

const NO_CONDITIONING: ConditioningValue = { kind: 'CONDITIONING', text: '' };

const basicGuider: NodeDefinition = {
  classType: 'BasicGuider',
  displayName: 'BasicGuider',
  description: '',
  category: 'sampling/custom_sampling/guiders',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [{ type: 'GUIDER', name: 'GUIDER' }],
  inputTypes: () => ({ required: { model: ['MODEL'], conditioning: ['CONDITIONING'] } }),
  async execute(inputs) {
    const guider: GuiderValue = {
      kind: 'GUIDER',
      model: expectValue(inputs['model'], 'MODEL', 'model'),
      positive: expectValue(inputs['conditioning'], 'CONDITIONING', 'conditioning'),
      negative: NO_CONDITIONING,
      settings: 'basic',
    };
    return { outputs: [guider] };
  },
};

const cfgGuider: NodeDefinition = {
  classType: 'CFGGuider',
  displayName: 'CFGGuider',
  description: '',
  category: 'sampling/custom_sampling/guiders',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [{ type: 'GUIDER', name: 'GUIDER' }],
  inputTypes: () => ({
    required: {
      model: ['MODEL'],
      positive: ['CONDITIONING'],
      negative: ['CONDITIONING'],
      cfg: ['FLOAT', { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 }],
    },
  }),
  async execute(inputs) {
    const guider: GuiderValue = {
      kind: 'GUIDER',
      model: expectValue(inputs['model'], 'MODEL', 'model'),
      positive: expectValue(inputs['positive'], 'CONDITIONING', 'positive'),
      negative: expectValue(inputs['negative'], 'CONDITIONING', 'negative'),
      settings: `cfg=${numberInput(inputs, 'cfg', 8)}`,
    };
    return { outputs: [guider] };
  },
};

/** Progress max is len(sigmas) - 1: the steps of the scheduler that made the sigmas. */
const samplerCustomAdvanced: NodeDefinition = {
  classType: 'SamplerCustomAdvanced',
  displayName: 'SamplerCustomAdvanced',
  description: '',
  category: 'sampling/custom_sampling',
  pythonModule: PYTHON_MODULE,
  outputNode: false,
  outputs: [
    { type: 'LATENT', name: 'output' },
    { type: 'LATENT', name: 'denoised_output' },
  ],
  inputTypes: () => ({
    required: {
      noise: ['NOISE'],
      guider: ['GUIDER'],
      sampler: ['SAMPLER'],
      sigmas: ['SIGMAS'],
      latent_image: ['LATENT'],
    },
  }),
  async execute(inputs, ctx) {
    const noise = expectValue(inputs['noise'], 'NOISE', 'noise');
    const guider = expectValue(inputs['guider'], 'GUIDER', 'guider');
    const sampler = expectValue(inputs['sampler'], 'SAMPLER', 'sampler');
    const sigmas = expectValue(inputs['sigmas'], 'SIGMAS', 'sigmas');
    const latent = await runSampler(ctx, {
      seed: noise.seed,
      steps: sigmas.steps,
      denoise: sigmas.denoise,
      model: guider.model,
      positive: guider.positive,
      negative: guider.negative,
      latent: expectValue(inputs['latent_image'], 'LATENT', 'latent_image'),
      settings: [sampler.name, sigmas.settings, guider.settings].join('|'),
    });
    return { outputs: [latent, latent] };
  },
};

export const customSamplingNodes: readonly NodeDefinition[] = [
  randomNoise,
  kSamplerSelect,
  basicScheduler,
  basicGuider,
  cfgGuider,
  samplerCustomAdvanced,
];

import type { ParameterType } from '@comfyrelay/core';

/**
 * What each detected parameter is. Limits here are ComfyUI's own and only used when no
 * /object_info is at hand; with it, the server's input specs win.
 */
export interface ParameterRole {
  type: ParameterType;
  description: string;
  min?: number;
  max?: number;
  multipleOf?: number;
  required?: boolean;
}

const latentSide = { type: 'integer', min: 16, max: 16384, multipleOf: 8 } as const;

export const ROLES = {
  prompt: { type: 'string', description: 'What to make', required: true },
  negative_prompt: { type: 'string', description: 'What to keep out of it' },
  image: { type: 'image', description: 'The input image' },
  seed: {
    type: 'seed',
    description: 'Random seed: the same seed and settings give the same result',
  },
  steps: {
    type: 'integer',
    description: 'Sampling steps: more is slower, often more detailed',
    min: 1,
    max: 10000,
  },
  cfg: {
    type: 'number',
    description: 'How closely to follow the prompt (CFG scale)',
    min: 0,
    max: 100,
  },
  guidance: {
    type: 'number',
    description: 'Flux guidance: how closely to follow the prompt',
    min: 0,
    max: 100,
  },
  sampler: { type: 'choice', description: 'Sampler' },
  scheduler: { type: 'choice', description: 'Noise schedule' },
  denoise: {
    type: 'number',
    description: 'How much to change the input (0 keeps it, 1 replaces it)',
    min: 0,
    max: 1,
  },
  width: { ...latentSide, description: 'Width in pixels' },
  height: { ...latentSide, description: 'Height in pixels' },
  batch_size: { type: 'integer', description: 'How many to make at once', min: 1, max: 4096 },
  length: { type: 'integer', description: 'Length in frames', min: 1, max: 16384 },
  lora: { type: 'choice', description: 'LoRA' },
  lora_strength: { type: 'number', description: 'LoRA strength', min: -100, max: 100 },
} as const satisfies Record<string, ParameterRole>;

export type RoleName = keyof typeof ROLES;

import { choicesOf, type BackendCapabilities } from './Capabilities.js';
import type { JobRequirements } from './requirements.js';

interface Noun {
  one: string;
  many: string;
}

const NODE_CLASS: Noun = { one: 'node class', many: 'node classes' };

/** The words a user knows for the inputs that name a model file. */
function modelNoun(classType: string, input: string): Noun | undefined {
  if (input === 'ckpt_name') return { one: 'checkpoint', many: 'checkpoints' };
  if (input === 'lora_name') return { one: 'LoRA', many: 'LoRAs' };
  if (input === 'vae_name') return { one: 'VAE', many: 'VAEs' };
  if (input === 'unet_name') return { one: 'diffusion model', many: 'diffusion models' };
  if (input === 'control_net_name') return { one: 'ControlNet', many: 'ControlNets' };
  if (classType === 'UpscaleModelLoader' && input === 'model_name') {
    return { one: 'upscale model', many: 'upscale models' };
  }
  if (classType === 'CLIPVisionLoader' && input === 'clip_name') {
    return { one: 'CLIP vision model', many: 'CLIP vision models' };
  }
  // CLIPLoader.clip_name, DualCLIPLoader.clip_name1/2, TripleCLIPLoader.clip_name1/2/3
  if (/^clip_name\d?$/.test(input)) return { one: 'text encoder', many: 'text encoders' };
  return undefined;
}

/**
 * What a server lacks to run a job, in words, one entry per kind: `node class "IPAdapterApply"`,
 * `checkpoint "flux1-dev.safetensors"`, `LoRAs "a.safetensors", "b.safetensors"`,
 * `KSampler.sampler_name "euler_z"`. Empty when it can run the job. Values of a class the
 * server lacks are not checked (the class is reported). O(requirements).
 */
export function missingOn(
  capabilities: BackendCapabilities,
  requirements: JobRequirements,
): string[] {
  const groups = new Map<string, { noun: Noun; values: Set<string> }>();
  const add = (noun: Noun, value: string) => {
    const group = groups.get(noun.one) ?? { noun, values: new Set<string>() };
    groups.set(noun.one, group);
    group.values.add(value);
  };
  for (const classType of requirements.nodeClasses) {
    if (!capabilities.nodeClasses.has(classType)) add(NODE_CLASS, classType);
  }
  for (const { classType, input, value } of requirements.comboValues) {
    const choices = choicesOf(capabilities, classType, input);
    if (!choices || choices.has(value)) continue;
    const label = `${classType}.${input}`;
    add(modelNoun(classType, input) ?? { one: label, many: label }, value);
  }
  return Array.from(groups.values(), ({ noun, values }) => {
    const quoted = Array.from(values, (value) => `"${value}"`).join(', ');
    return `${values.size === 1 ? noun.one : noun.many} ${quoted}`;
  });
}

/** Whether a server has everything a job needs: `missingOn(...)` is empty, found faster. */
export function canRun(capabilities: BackendCapabilities, requirements: JobRequirements): boolean {
  for (const classType of requirements.nodeClasses) {
    if (!capabilities.nodeClasses.has(classType)) return false;
  }
  return requirements.comboValues.every(
    ({ classType, input, value }) => choicesOf(capabilities, classType, input)?.has(value) ?? true,
  );
}

import { randomInt } from 'node:crypto';
import { MAX_SEED, type FollowUpAction } from '@comfyrelay/core';

/** The parameters image.img2img shares with the checkpoint workflows: what "variations" carries over. */
const CARRIED_TO_IMG2IMG = [
  'prompt',
  'negative',
  'checkpoint',
  'steps',
  'cfg',
  'sampler',
  'scheduler',
] as const;

/** Same parameters, new seed: the seed is left out so the relay draws a fresh one. */
export function rerollAction(): FollowUpAction {
  return {
    id: 'reroll',
    label: 'Reroll',
    parameters(previous) {
      const { seed: _seed, ...rest } = previous;
      return rest;
    },
  };
}

/**
 * A low-denoise img2img of the result: same prompt and model, a seed near the original (so
 * repeated clicks give different variations of the same family), composition kept.
 */
export function variationsAction(denoise: number): FollowUpAction {
  return {
    id: 'variations',
    label: 'Variations',
    workflow: 'image.img2img',
    usesOutputImage: true,
    parameters(previous, context) {
      const carried: Record<string, unknown> = {};
      for (const name of CARRIED_TO_IMG2IMG)
        if (previous[name] !== undefined) carried[name] = previous[name];
      return { ...carried, seed: nearbySeed(previous['seed']), denoise, image: context.image };
    },
  };
}

export function upscaleAction(): FollowUpAction {
  return {
    id: 'upscale',
    label: 'Upscale',
    workflow: 'image.upscale',
    usesOutputImage: true,
    parameters: (_previous, context) => ({ image: context.image }),
  };
}

/**
 * Hands the picture to the video plugin, referenced by workflow id only (a plugin never imports
 * another). The prompt goes along as the motion description; the video workflow is expected to
 * accept `image` and `prompt`.
 */
export function animateAction(workflow: string): FollowUpAction {
  return {
    id: 'animate',
    label: 'Animate',
    workflow,
    usesOutputImage: true,
    parameters(previous, context) {
      const prompt = previous['prompt'];
      return {
        image: context.image,
        ...(typeof prompt === 'string' && prompt !== '' ? { prompt } : {}),
      };
    },
  };
}

function nearbySeed(seed: unknown): number | undefined {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) return undefined;
  const next = seed + randomInt(1, 1000);
  return next > MAX_SEED ? next - MAX_SEED : next;
}

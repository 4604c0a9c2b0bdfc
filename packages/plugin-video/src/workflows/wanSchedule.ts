import type { ApiWorkflow, ParameterValues } from '@comfyrelay/core';

/** Where a Wan 2.2 graph keeps the values that are derived from others. */
export interface WanLayout {
  /** KSamplerAdvanced with the high-noise model: steps 0 → N/2, returns its leftover noise. */
  highSampler: string;
  /** KSamplerAdvanced with the low-noise model: steps N/2 → N. */
  lowSampler: string;
  /** The node with the `length` input (EmptyHunyuanLatentVideo, WanImageToVideo). */
  latent: string;
}

/**
 * Wan's VAE compresses time by 4 and keeps the first frame, so a clip has 4k+1 frames; any other
 * length is floored by ComfyUI without a word. The nearest valid count is used instead.
 */
export function wanFrameCount(frames: number): number {
  return Math.max(1, Math.round((frames - 1) / 4) * 4 + 1);
}

/** `prepare` hook: the record keeps the frame count that is really made. */
export function roundWanFrames(values: ParameterValues): ParameterValues {
  const frames = values['frames'];
  return typeof frames === 'number' ? { ...values, frames: wanFrameCount(frames) } : values;
}

/** The step where the high-noise sampler hands over to the low-noise one (half the steps, as Wan 2.2 ships). */
export function wanSplitStep(steps: number): number {
  return Math.max(1, Math.floor(steps / 2));
}

/**
 * `finalize` hook: sets the inputs a parameter cannot bind directly: the hand-over step of the
 * two samplers (from `steps`) and the 4k+1 frame count (from `length`). Idempotent.
 */
export function applyWanSchedule(graph: ApiWorkflow, layout: WanLayout): ApiWorkflow {
  const high = graph[layout.highSampler];
  const low = graph[layout.lowSampler];
  const steps = high?.inputs['steps'];
  if (high && low && typeof steps === 'number') {
    const split = wanSplitStep(steps);
    high.inputs['start_at_step'] = 0;
    high.inputs['end_at_step'] = split;
    low.inputs['steps'] = steps;
    low.inputs['start_at_step'] = split;
    low.inputs['end_at_step'] = 10_000;
  }
  const latent = graph[layout.latent];
  const length = latent?.inputs['length'];
  if (latent && typeof length === 'number') latent.inputs['length'] = wanFrameCount(length);
  return graph;
}

import type { RelayEvent } from '@comfyrelay/core';

/** A relay progress event stamped with when and in which order it was published. */
export type BenchEvent = Extract<RelayEvent, { type: 'progress' }> & {
  seq: number;
  publishedAt: number;
};

/** Progress for one of `generations` generations, as a sampler would report it. */
export function progressEvent(seq: number, generations: number, publishedAt: number): BenchEvent {
  const generation = seq % generations;
  const step = (Math.floor(seq / generations) % 30) + 1;
  return {
    type: 'progress',
    id: `gen-${generation}`,
    promptId: `prompt-${generation}`,
    progress: {
      fraction: step / 31,
      phase: `sampling ${step}/30`,
      step,
      stepTotal: 30,
      node: '3',
      nodeClass: 'KSampler',
      etaMs: (30 - step) * 450,
    },
    seq,
    publishedAt,
  };
}

/** Waits until performance.now() reaches `at` (ms). */
export function sleepUntil(at: number): Promise<void> {
  const wait = at - performance.now();
  return wait <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
}

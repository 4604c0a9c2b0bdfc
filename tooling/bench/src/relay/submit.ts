import type { ComfyRelay, GenerationHandle } from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { txt2imgGraph } from '../workload.js';

export interface SubmitOptions {
  /** Submissions per batch (default 100). */
  batch?: number;
  firstSeed?: number;
  /** Each generation as soon as comfyrelay queued it. */
  queued?: (handle: GenerationHandle) => void;
  /**
   * Resolves once ComfyUI holds this many of them: each batch waits for the one before it to be
   * posted, so that the POSTs do not all leave at once.
   */
  posted?: (count: number) => Promise<void>;
}

/** Submits `count` txt2img graphs through the relay, as many users would, batch by batch. */
export async function submitMany(
  relay: ComfyRelay,
  count: number,
  options: SubmitOptions = {},
): Promise<GenerationHandle[]> {
  const batch = options.batch ?? 100;
  const firstSeed = options.firstSeed ?? 0;
  const handles: GenerationHandle[] = [];
  for (let index = 0; index < count; index += batch) {
    const size = Math.min(batch, count - index);
    const queued = await Promise.all(
      Array.from({ length: size }, async (_, offset) => {
        const handle = await submitGraph(relay, txt2imgGraph(firstSeed + index + offset));
        options.queued?.(handle);
        return handle;
      }),
    );
    handles.push(...queued);
    await options.posted?.(index + size);
  }
  return handles;
}

import type { ComfyRelay, GenerationHandle } from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { txt2imgGraph } from '../workload.js';

/**
 * Posts `count` txt2img graphs through the relay, `concurrency` at a time (as many users would),
 * calling `accepted` with each handle as soon as ComfyUI took it.
 */
export async function submitMany(
  relay: ComfyRelay,
  count: number,
  options: {
    concurrency?: number;
    firstSeed?: number;
    accepted?: (handle: GenerationHandle) => void;
  } = {},
): Promise<GenerationHandle[]> {
  const concurrency = options.concurrency ?? 100;
  const firstSeed = options.firstSeed ?? 0;
  const handles: GenerationHandle[] = [];
  for (let index = 0; index < count; index += concurrency) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(concurrency, count - index) }, async (_, offset) => {
        const handle = await submitGraph(relay, txt2imgGraph(firstSeed + index + offset));
        options.accepted?.(handle);
        return handle;
      }),
    );
    handles.push(...batch);
  }
  return handles;
}

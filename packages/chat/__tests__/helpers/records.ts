import type { GenerationRecord } from '@comfyrelay/core';

export const JOB_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** A generation record as the relay would give it, with what a test cares about. */
export function record(overrides: Partial<GenerationRecord> = {}): GenerationRecord {
  return {
    id: JOB_ID,
    promptId: 'p-1',
    backend: 'sim',
    workflow: 'image.txt2img',
    parameters: { prompt: 'a red fox in the snow', seed: 42, steps: 30 },
    status: 'submitted',
    createdAt: 1_000_000,
    ...overrides,
  };
}

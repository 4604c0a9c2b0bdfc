import type { ApiWorkflow } from '@comfyrelay/core';

/**
 * The simulator's harness graph: `TestProgressNode` reporting `steps` steps (each one
 * `stepDelayMs` of the simulator), then a saved PNG. A distinct `seed` per generation keeps
 * ComfyUI's cache from serving it without running it. `failAt` makes the node raise at that
 * step instead (`TestFailNode`): an execution error a user's graph could cause.
 */
export function harnessGraph(
  seed: number,
  steps: number,
  options: { prefix?: string; failAt?: number; size?: number } = {},
): ApiWorkflow {
  const size = options.size ?? 16;
  const node =
    options.failAt === undefined
      ? { class_type: 'TestProgressNode', inputs: { seed, steps, width: size, height: size } }
      : { class_type: 'TestFailNode', inputs: { seed, steps, fail_at: options.failAt } };
  return {
    '1': node,
    '2': {
      class_type: 'SaveImage',
      inputs: { images: ['1', 0], filename_prefix: options.prefix ?? 'e2e' },
    },
  };
}

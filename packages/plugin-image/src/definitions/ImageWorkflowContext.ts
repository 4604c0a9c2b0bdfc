import type { FollowUpAction, OutputSpec, ProgressInterpreter } from '@comfyrelay/core';
import type { ImageWorkflowId, ResolvedImageOptions } from '../ImagePluginOptions.js';
import { imageOutputs } from './imageOutputs.js';

/** What each definition builder gets: the resolved options, the shared interpreter, the actions on offer. */
export interface ImageWorkflowContext {
  options: ResolvedImageOptions;
  progress: ProgressInterpreter;
  actionsFor(id: ImageWorkflowId): FollowUpAction[];
}

/** The parts every image definition shares. */
export function commonParts(
  context: ImageWorkflowContext,
  id: ImageWorkflowId,
): {
  outputs: OutputSpec[];
  actions: FollowUpAction[];
  progress: ProgressInterpreter;
  deadlineMs?: number;
} {
  return {
    outputs: imageOutputs,
    actions: context.actionsFor(id),
    progress: context.progress,
    ...(context.options.deadlineMs !== undefined ? { deadlineMs: context.options.deadlineMs } : {}),
  };
}

import type { ApiWorkflow, WorkflowDefinition } from '@comfyrelay/core';
import { workflowFromGraph } from '@comfyrelay/plugin-folder';

/** The id under which `run` registers the file it runs. */
export const RUN_WORKFLOW_ID = 'file.run';

/**
 * The file as a workflow like any other: each value a `NODE.INPUT` parameter validated by core.
 * Inputs that take an uploaded picture are `image` parameters, so a picture file given for one
 * is uploaded to the server that runs the generation (a name stays a file ComfyUI already has).
 */
export function fileDefinition(
  graph: ApiWorkflow,
  title: string,
  uploadInputs: ReadonlySet<string>,
): WorkflowDefinition {
  const definition = workflowFromGraph(graph, { id: RUN_WORKFLOW_ID, title });
  return {
    ...definition,
    parameters: definition.parameters.map((spec) =>
      uploadInputs.has(spec.name) ? { ...spec, type: 'image' as const } : spec,
    ),
  };
}

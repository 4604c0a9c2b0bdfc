import type { ApiWorkflow } from '../protocol/graph.js';
import { ComfyRelayError } from '../errors.js';
import type { WorkflowDefinition } from './WorkflowDefinition.js';
import type { ParameterValues } from './WorkflowDefinition.js';

/** A copy of the definition's template with every bound input set to its validated value. */
export function renderWorkflow(
  definition: WorkflowDefinition,
  values: ParameterValues,
): ApiWorkflow {
  const graph = structuredClone(definition.template);
  for (const spec of definition.parameters) {
    const value = values[spec.name];
    if (value === undefined) continue;
    if (typeof value === 'object') {
      throw new ComfyRelayError(
        `Parameter ${spec.name} of ${definition.id} must be uploaded before rendering`,
      );
    }
    for (const binding of Array.isArray(spec.bind) ? spec.bind : [spec.bind]) {
      const node = graph[binding.node];
      if (!node) {
        throw new ComfyRelayError(
          `Workflow ${definition.id} binds ${spec.name} to node ${binding.node}, which is not in its template`,
        );
      }
      node.inputs[binding.input] = value;
    }
  }
  return graph;
}

/**
 * The graph a definition posts for validated values: its `prepare` hook, the bindings, then its
 * `finalize` hook. Image values must already be uploaded (file names).
 */
export function buildGraph(definition: WorkflowDefinition, values: ParameterValues): ApiWorkflow {
  const rendered = renderWorkflow(definition, values);
  return definition.finalize?.(rendered, values) ?? rendered;
}

import {
  buildGraph,
  isImageInput,
  type ParameterValues,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import { detectWorkflow } from '@comfyrelay/plugin-folder';
import { RefusedError } from '../errors.js';
import type { NodeCatalogue } from './nodeCatalogue.js';

/**
 * What `workflow check` would refuse, checked on the graph about to be submitted (the file with
 * the values given): a link to a node that is not there, an output slot its class lacks, a class
 * or a required input the server does not have, a value out of its limits, no output node.
 * Errors are refused all at once, in words; warnings (a model this server does not list) are
 * returned for stderr. Uploaded pictures are only checked once they are uploaded (by ComfyUI).
 */
export function checkBeforeSubmit(
  definition: WorkflowDefinition,
  values: ParameterValues,
  catalogue: NodeCatalogue | undefined,
): string[] {
  const uploads = new Set<string>();
  const named: ParameterValues = {};
  for (const [name, value] of Object.entries(values)) {
    if (isImageInput(value)) uploads.add(name);
    named[name] = isImageInput(value) ? value.filename : value;
  }
  const graph = buildGraph(definition, named);
  const problems = detectWorkflow(
    graph,
    catalogue ? { objectInfo: catalogue.objectInfo } : {},
  ).problems.filter((p) => !(p.node && p.input && uploads.has(`${p.node}.${p.input}`)));
  const errors = problems.filter((p) => p.severity === 'error').map((p) => p.message);
  if (errors.length > 0) {
    const against = catalogue
      ? ` (checked against the node classes of the ${catalogue.source === 'server' ? 'server' : 'simulator'})`
      : '';
    throw new RefusedError(
      `the workflow would be refused${against}, so nothing was sent to ComfyUI:\n${errors.map((e) => `  - ${e}`).join('\n')}`,
    );
  }
  return problems.filter((p) => p.severity === 'warning').map((p) => p.message);
}

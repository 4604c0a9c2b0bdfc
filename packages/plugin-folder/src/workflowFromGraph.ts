import type {
  ApiWorkflow,
  ParameterSpec,
  ParameterType,
  WorkflowDefinition,
} from '@comfyrelay/core';
import { compareNodeIds } from './detect/compareNodeIds.js';
import { describeNode } from './detect/describeNode.js';
import { detectOutputs } from './detect/detectOutputs.js';
import { GraphIndex } from './detect/GraphIndex.js';
import { isLiteral, type LiteralValue } from './detect/literalSlot.js';

/** Inputs ComfyUI's "randomize" control rerolls: here a `seed` parameter, random unless given. */
const SEED_INPUTS: ReadonlySet<string> = new Set(['seed', 'noise_seed']);

export interface WorkflowFromGraphOptions {
  id: string;
  title?: string;
  description?: string;
}

/**
 * A definition that offers every value of a raw export as it is, for running a file by hand:
 * each literal input becomes an optional parameter named `NODE.INPUT` (`3.steps`) whose default
 * is the file's value. Linked inputs are left alone; outputs are the graph's save nodes.
 */
export function workflowFromGraph(
  graph: ApiWorkflow,
  options: WorkflowFromGraphOptions,
): WorkflowDefinition {
  const template = structuredClone(graph);
  const parameters: ParameterSpec[] = [];
  for (const node of Object.keys(template).sort(compareNodeIds)) {
    const found = template[node];
    if (!found) continue;
    for (const [input, value] of Object.entries(found.inputs)) {
      if (!isLiteral(value)) continue;
      const type = parameterTypeOf(input, value);
      parameters.push({
        name: `${node}.${input}`,
        type,
        description: `"${input}" of ${describeNode(node, found)}`,
        default: value,
        // A file's own values may be long (a detailed prompt): ComfyUI checks its limits.
        ...(type === 'string' ? { maxLength: FILE_TEXT_LIMIT } : {}),
        bind: { node, input },
      });
    }
  }
  return {
    id: options.id,
    title: options.title ?? options.id,
    description:
      options.description ?? 'An exported ComfyUI workflow: each of its values can be changed',
    template,
    parameters,
    outputs: detectOutputs(new GraphIndex(template)),
  };
}

/** Longest text a `NODE.INPUT` parameter takes. */
const FILE_TEXT_LIMIT = 1_000_000;

/**
 * A file holds `cfg: 8` where 7.5 is as valid: without the node catalogue a whole number does
 * not mean an INT input, so numbers are `number` (ComfyUI checks INT inputs itself).
 */
function parameterTypeOf(input: string, value: LiteralValue): ParameterType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return SEED_INPUTS.has(input) && Number.isInteger(value) ? 'seed' : 'number';
}

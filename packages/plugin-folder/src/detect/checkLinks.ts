import type { ApiWorkflow } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { compareNodeIds } from './compareNodeIds.js';
import { describeNode } from './describeNode.js';
import { classInfo, inputSpecOf, socketTypeOf } from './inputSpecs.js';
import type { WorkflowProblem } from './WorkflowProblem.js';

/**
 * Every link must name a node of the graph (as a string id) and an output that node's class
 * has, of a type the input takes. Output counts and types are only known with /object_info.
 */
export function checkLinks(graph: ApiWorkflow, objectInfo?: ObjectInfo): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  for (const id of Object.keys(graph).sort(compareNodeIds)) {
    const node = graph[id];
    if (!node) continue;
    for (const [input, value] of Object.entries(node.inputs)) {
      if (!Array.isArray(value) || value.length !== 2 || typeof value[1] !== 'number') continue;
      const at = { node: id, classType: node.class_type, input };
      const where = `${describeNode(id, node)} input "${input}"`;
      const [sourceId, output] = value as [unknown, number];
      if (typeof sourceId !== 'string') {
        problems.push({
          code: 'bad_link',
          severity: 'error',
          ...at,
          message: `${where} links to ${JSON.stringify(sourceId)}; a link names its node id as a string, e.g. ["${String(sourceId)}", ${output}]`,
        });
        continue;
      }
      const source = Object.hasOwn(graph, sourceId) ? graph[sourceId] : undefined;
      if (!source) {
        problems.push({
          code: 'missing_node',
          severity: 'error',
          ...at,
          message: `${where} is linked to node ${sourceId}, which is not in the workflow`,
        });
        continue;
      }
      const outputs = classInfo(objectInfo, source.class_type)?.output;
      if (!Array.isArray(outputs)) continue;
      if (!Number.isInteger(output) || output < 0 || output >= outputs.length) {
        const has =
          outputs.length === 0
            ? 'has no outputs'
            : `has only ${outputs.length} output${outputs.length === 1 ? '' : 's'} (${outputs.join(', ')})`;
        problems.push({
          code: 'bad_output_index',
          severity: 'error',
          ...at,
          message: `${where} takes output ${output} of ${describeNode(sourceId, source)}, which ${has}`,
        });
        continue;
      }
      const produced = outputs[output];
      const expected = socketTypeOf(inputSpecOf(objectInfo, node.class_type, input));
      if (typeof produced === 'string' && expected && !typesMatch(produced, expected)) {
        problems.push({
          code: 'link_type_mismatch',
          severity: 'error',
          ...at,
          message: `${where} expects ${expected} but is linked to output ${output} of ${describeNode(sourceId, source)}, which gives ${produced}`,
        });
      }
    }
  }
  return problems;
}

/** ComfyUI's rule: "*" matches anything, "A,B" lists alternatives. */
function typesMatch(produced: string, expected: string): boolean {
  if (produced === '*' || expected === '*') return true;
  const wanted = new Set(expected.split(',').map((t) => t.trim()));
  return produced.split(',').some((t) => wanted.has(t.trim()));
}

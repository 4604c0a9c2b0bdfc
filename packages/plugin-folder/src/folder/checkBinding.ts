import type { ApiWorkflow, ParameterBinding } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { describeNode } from '../detect/describeNode.js';
import { classInfo, inputSpecOf } from '../detect/inputSpecs.js';
import { isLiteral } from '../detect/literalSlot.js';
import type { WorkflowProblem } from '../detect/WorkflowProblem.js';

/**
 * A manifest binding must name a node of the graph and an input holding a literal value: a
 * parameter never overwrites a link. An input absent from the export is allowed when the
 * class declares it (an optional input), else only warned about when the class is unknown.
 */
export function checkBinding(
  graph: ApiWorkflow,
  parameter: string,
  binding: ParameterBinding,
  source: string,
  objectInfo?: ObjectInfo,
): WorkflowProblem | undefined {
  const node = Object.hasOwn(graph, binding.node) ? graph[binding.node] : undefined;
  const at = { node: binding.node, input: binding.input };
  if (!node) {
    return {
      code: 'binding_invalid',
      severity: 'error',
      ...at,
      message: `${source}: parameter ${parameter} binds to node ${binding.node}, which is not in the workflow`,
    };
  }
  const where = `${describeNode(binding.node, node)} input "${binding.input}"`;
  const withClass = { ...at, classType: node.class_type };
  if (binding.input in node.inputs) {
    if (isLiteral(node.inputs[binding.input])) return undefined;
    return {
      code: 'binding_invalid',
      severity: 'error',
      ...withClass,
      message: `${source}: parameter ${parameter} binds to ${where}, which is linked to another node; a parameter may only replace a value, never a link`,
    };
  }
  if (inputSpecOf(objectInfo, node.class_type, binding.input)) return undefined;
  if (classInfo(objectInfo, node.class_type)) {
    return {
      code: 'binding_invalid',
      severity: 'error',
      ...withClass,
      message: `${source}: parameter ${parameter} binds to ${where}, but ${node.class_type} has no input called "${binding.input}"`,
    };
  }
  return {
    code: 'binding_invalid',
    severity: 'warning',
    ...withClass,
    message: `${source}: parameter ${parameter} binds to ${where}, which the export does not have; it will be added when the workflow runs`,
  };
}

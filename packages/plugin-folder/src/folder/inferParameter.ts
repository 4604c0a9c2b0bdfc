import type { ApiWorkflow, ParameterBinding, ParameterSpec, ParameterType } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { numericLimits } from '../detect/buildParameter.js';
import { choicesOf, inputSpecOf } from '../detect/inputSpecs.js';
import { isLiteral } from '../detect/literalSlot.js';
import { IMAGE_LOADERS } from '../detect/nodeClasses.js';

/**
 * A parameter a manifest adds by binding alone: its type, default, limits and choices come from
 * the first bound input (its value in the export, and /object_info when given).
 */
export function inferParameter(
  name: string,
  bind: ParameterBinding[],
  graph: ApiWorkflow,
  objectInfo?: ObjectInfo,
): ParameterSpec {
  const first = bind[0] as ParameterBinding;
  const node = graph[first.node];
  const classType = node?.class_type ?? '';
  const value = node?.inputs[first.input];
  const inputSpec = inputSpecOf(objectInfo, classType, first.input);
  const listed = choicesOf(inputSpec);
  let type: ParameterType;
  if (first.input === 'seed' || first.input === 'noise_seed') type = 'seed';
  else if (IMAGE_LOADERS.has(classType) && first.input === 'image') type = 'image';
  else if (listed) type = 'choice';
  else if (inputSpec?.[0] === 'INT') type = 'integer';
  else if (inputSpec?.[0] === 'FLOAT') type = 'number';
  else if (inputSpec?.[0] === 'BOOLEAN' || typeof value === 'boolean') type = 'boolean';
  else if (typeof value === 'number') type = Number.isInteger(value) ? 'integer' : 'number';
  else type = 'string';
  const spec: ParameterSpec = {
    name,
    type,
    bind: bind.length === 1 ? first : bind,
    ...(isLiteral(value) ? { default: value } : {}),
  };
  if (type === 'choice') spec.choices = { classType, input: first.input };
  if (type === 'integer' || type === 'number') Object.assign(spec, numericLimits({}, inputSpec));
  return spec;
}

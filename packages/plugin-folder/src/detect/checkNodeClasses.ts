import type { ApiWorkflow } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { compareNodeIds } from './compareNodeIds.js';
import { describeNode } from './describeNode.js';
import { choicesOf, classInfo, rangeOf } from './inputSpecs.js';
import { IMAGE_LOADERS } from './nodeClasses.js';
import type { DetectOptions } from './WorkflowDetection.js';
import type { WorkflowProblem } from './WorkflowProblem.js';

/** A model or picture file: such lists differ from one server to the next. */
const FILE_NAME = /\.[a-z0-9]{1,16}$/i;

/**
 * What /object_info can tell about each node: its class exists on this server, every required
 * input is there, numbers are within limits (ComfyUI refuses them otherwise) and listed values
 * (models, LoRAs, samplers …) are offered by this server. Against a reference catalogue (no
 * server), a class it lacks is reported as not checked, and file names are not checked.
 */
export function checkNodeClasses(
  graph: ApiWorkflow,
  objectInfo: ObjectInfo,
  objectInfoFrom: DetectOptions['objectInfoFrom'] = 'server',
): WorkflowProblem[] {
  const reference = objectInfoFrom === 'reference';
  const problems: WorkflowProblem[] = [];
  for (const id of Object.keys(graph).sort(compareNodeIds)) {
    const node = graph[id];
    if (!node) continue;
    const info = classInfo(objectInfo, node.class_type);
    const name = describeNode(id, node);
    if (!info && reference) {
      problems.push({
        code: 'class_not_checked',
        severity: 'warning',
        node: id,
        classType: node.class_type,
        message: `${name} uses the node class "${node.class_type}", which is not one of the core ComfyUI classes known offline, so it could not be checked; the server that runs the workflow must have it (a custom node, or a misspelt class)`,
      });
      continue;
    }
    if (!info) {
      problems.push({
        code: 'unknown_class',
        severity: 'error',
        node: id,
        classType: node.class_type,
        message: `${name} uses the node class "${node.class_type}", which this ComfyUI server does not have; install the custom node that provides it, or replace the node`,
      });
      continue;
    }
    for (const [input, spec] of Object.entries(info.input?.required ?? {})) {
      if (!(input in node.inputs)) {
        problems.push({
          code: 'required_input_missing',
          severity: 'error',
          node: id,
          classType: node.class_type,
          input,
          message: `${name} is missing its required input "${input}"`,
        });
        continue;
      }
      problems.push(
        ...checkValue(id, name, node.class_type, input, node.inputs[input], spec, reference),
      );
    }
    for (const [input, spec] of Object.entries(info.input?.optional ?? {})) {
      if (input in node.inputs)
        problems.push(
          ...checkValue(id, name, node.class_type, input, node.inputs[input], spec, reference),
        );
    }
  }
  return problems;
}

function checkValue(
  id: string,
  name: string,
  classType: string,
  input: string,
  value: unknown,
  spec: Parameters<typeof rangeOf>[0],
  reference: boolean,
): WorkflowProblem[] {
  const at = { node: id, classType, input };
  const choices = choicesOf(spec);
  const serverFiles =
    reference &&
    choices !== undefined &&
    (choices.length === 0 || typeof value !== 'string' || FILE_NAME.test(value));
  if (choices && !serverFiles && typeof value === 'string' && !choices.includes(value)) {
    if (IMAGE_LOADERS.has(classType) && input === 'image') {
      return [
        {
          code: 'value_not_in_list',
          severity: 'warning',
          ...at,
          message: `${name} input "image" is "${value}", which is not in this ComfyUI server's input folder; a run without an image from the user fails (upload it there, or have users attach one)`,
        },
      ];
    }
    const offered =
      choices.length === 0
        ? 'it offers none'
        : `it offers ${choices
            .slice(0, 8)
            .map((c) => `"${c}"`)
            .join(', ')}${choices.length > 8 ? ` and ${choices.length - 8} more` : ''}`;
    return [
      {
        code: 'value_not_in_list',
        severity: 'warning',
        ...at,
        message: reference
          ? `${name} input "${input}" is "${value}", which ComfyUI does not offer (${offered}); pick another, else ComfyUI refuses the workflow`
          : `${name} input "${input}" is "${value}", which this ComfyUI server does not offer (${offered}); install it there or pick another, else ComfyUI refuses the workflow`,
      },
    ];
  }
  const range = rangeOf(spec);
  if (range && typeof value === 'number') {
    if (range.min !== undefined && value < range.min) {
      return [
        {
          code: 'value_out_of_range',
          severity: 'error',
          ...at,
          message: `${name} input "${input}" is ${value}, below its minimum ${range.min}`,
        },
      ];
    }
    if (range.max !== undefined && value > range.max) {
      return [
        {
          code: 'value_out_of_range',
          severity: 'error',
          ...at,
          message: `${name} input "${input}" is ${value}, above its maximum ${range.max}`,
        },
      ];
    }
  }
  return [];
}

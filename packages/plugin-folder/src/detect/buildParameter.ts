import { MAX_SEED, type ParameterSpec, type ParameterType } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { choicesOf, inputSpecOf, rangeOf } from './inputSpecs.js';
import type { Slot } from './literalSlot.js';
import type { ParameterRole } from './parameterRoles.js';

/** A parameter found in the graph, with where it came from. */
export interface DetectedParameter {
  spec: ParameterSpec;
  /** Class of the first node it binds to. */
  classType: string;
  note?: string;
}

/**
 * A parameter spec bound to `slots` (the first one gives the default). Ranges and choices come
 * from /object_info when it describes the first slot's input, else from the role.
 */
export function buildParameter(
  name: string,
  role: ParameterRole,
  slots: readonly Slot[],
  objectInfo: ObjectInfo | undefined,
  note?: string,
): DetectedParameter | undefined {
  const first = slots[0];
  if (!first) return undefined;
  const inputSpec = inputSpecOf(objectInfo, first.classType, first.input);
  let type: ParameterType = role.type;
  const spec: ParameterSpec = {
    name,
    type,
    description: role.description,
    default: first.value,
    bind:
      slots.length === 1
        ? { node: first.node, input: first.input }
        : slots.map((s) => ({ node: s.node, input: s.input })),
  };
  if (role.required) spec.required = true;
  if (type === 'choice') {
    // Listed choices are read live at run time: models and LoRAs come and go.
    const listed = choicesOf(inputSpec);
    if (objectInfo && inputSpec && !listed)
      type = typeof first.value === 'string' ? 'string' : 'integer';
    else spec.choices = { classType: first.classType, input: first.input };
  }
  spec.type = type;
  if (type === 'integer' || type === 'number') Object.assign(spec, numericLimits(role, inputSpec));
  return { spec, classType: first.classType, ...(note ? { note } : {}) };
}

/** min/max/multipleOf from the server's input spec, else the role's own. */
export function numericLimits(
  role: Pick<ParameterRole, 'min' | 'max' | 'multipleOf'>,
  inputSpec: Parameters<typeof rangeOf>[0],
): Pick<ParameterSpec, 'min' | 'max' | 'multipleOf'> {
  const range = rangeOf(inputSpec);
  if (!range) {
    const fallback: Pick<ParameterSpec, 'min' | 'max' | 'multipleOf'> = {};
    if (role.min !== undefined) fallback.min = role.min;
    if (role.max !== undefined) fallback.max = role.max;
    if (role.multipleOf !== undefined) fallback.multipleOf = role.multipleOf;
    return fallback;
  }
  const found: Pick<ParameterSpec, 'min' | 'max' | 'multipleOf'> = {};
  if (range.min !== undefined) found.min = range.min;
  if (range.max !== undefined) found.max = Math.min(range.max, MAX_SEED);
  // A step only means "multiple of" when the minimum is one too (Wan's length: 1, 5, 9 … is not).
  const step = range.step;
  if (
    range.numeric === 'INT' &&
    step !== undefined &&
    step > 1 &&
    Number.isInteger(step) &&
    (range.min ?? 0) % step === 0
  ) {
    found.multipleOf = step;
  }
  return found;
}

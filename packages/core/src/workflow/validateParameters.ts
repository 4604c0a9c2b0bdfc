import { randomInt } from 'node:crypto';
import {
  isImageInput,
  type ImageInput,
  type ParameterSpec,
  type WorkflowDefinition,
} from './WorkflowDefinition.js';
import { ParameterError, type ParameterProblem } from './ParameterError.js';

export type ParameterValue = string | number | boolean | ImageInput;
export type ParameterValues = Record<string, ParameterValue>;

/** Resolves `/object_info` choices; a plain list needs none. */
export type ChoiceResolver = (spec: ParameterSpec) => Promise<readonly string[] | undefined>;

/** Largest seed accepted from a user; random seeds are drawn below 2^48. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;
const RANDOM_SEED_LIMIT = 2 ** 48 - 1;

/**
 * Check user input against a workflow's declared schema and fill defaults. Every problem is
 * collected so the user can fix them all at once. Unknown parameters are refused: no raw
 * value reaches the graph unless the workflow declared it.
 */
export async function validateParameters(
  definition: WorkflowDefinition,
  input: Record<string, unknown>,
  resolveChoices: ChoiceResolver = async (spec) =>
    Array.isArray(spec.choices) ? spec.choices : undefined,
): Promise<ParameterValues> {
  const problems: ParameterProblem[] = [];
  const values: ParameterValues = {};
  const known = new Set(definition.parameters.map((p) => p.name));
  for (const name of Object.keys(input)) {
    if (!known.has(name))
      problems.push({
        parameter: name,
        message: `"${name}" is not a parameter of ${definition.title}`,
      });
  }
  for (const spec of definition.parameters) {
    const raw = input[spec.name];
    if (raw === undefined || raw === null || raw === '') {
      if (spec.type === 'seed') values[spec.name] = randomInt(0, RANDOM_SEED_LIMIT);
      else if (spec.default !== undefined) {
        // A default must exist on this server too (a checkpoint the operator never installed).
        const problem =
          spec.type === 'choice' ? await missingDefault(spec, resolveChoices) : undefined;
        if (problem) problems.push({ parameter: spec.name, message: problem });
        else values[spec.name] = spec.default;
      } else if (spec.required)
        problems.push({ parameter: spec.name, message: `${spec.name} is required` });
      continue;
    }
    const result = await coerce(spec, raw, resolveChoices);
    if (typeof result === 'string' && result.startsWith('!'))
      problems.push({ parameter: spec.name, message: result.slice(1) });
    else values[spec.name] = result;
  }
  if (problems.length > 0) throw new ParameterError(problems);
  return values;
}

async function coerce(
  spec: ParameterSpec,
  raw: unknown,
  resolveChoices: ChoiceResolver,
): Promise<ParameterValue> {
  const name = spec.name;
  switch (spec.type) {
    case 'integer':
    case 'seed':
    case 'number': {
      const value =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : NaN;
      if (!Number.isFinite(value)) return `!${name} must be a number, not ${JSON.stringify(raw)}`;
      if (spec.type !== 'number' && !Number.isInteger(value))
        return `!${name} must be a whole number, not ${value}`;
      const min = spec.min ?? (spec.type === 'seed' ? 0 : undefined);
      const max = spec.max ?? (spec.type === 'seed' ? MAX_SEED : undefined);
      if (min !== undefined && value < min)
        return `!${name} must be at least ${min} (got ${value})`;
      if (max !== undefined && value > max) return `!${name} must be at most ${max} (got ${value})`;
      return spec.multipleOf ? Math.round(value / spec.multipleOf) * spec.multipleOf : value;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'yes' || raw === '1') return true;
      if (raw === 'false' || raw === 'no' || raw === '0') return false;
      return `!${name} must be true or false, not ${JSON.stringify(raw)}`;
    case 'choice': {
      if (typeof raw !== 'string') return `!${name} must be one of the listed values`;
      const choices = await resolveChoices(spec);
      if (choices && !choices.includes(raw)) {
        const shown = choices.slice(0, 10).join(', ') + (choices.length > 10 ? ', …' : '');
        return `!${name} "${raw}" is not available; choose one of: ${shown}`;
      }
      return raw;
    }
    case 'image':
      if (isImageInput(raw)) return raw;
      if (typeof raw !== 'string') return `!${name} must be an image`;
      return raw;
    case 'string': {
      if (typeof raw !== 'string') return `!${name} must be text`;
      const maxLength = spec.maxLength ?? 4000;
      if (raw.length > maxLength)
        return `!${name} is too long (${raw.length} characters, at most ${maxLength})`;
      return raw;
    }
  }
}

async function missingDefault(
  spec: ParameterSpec,
  resolveChoices: ChoiceResolver,
): Promise<string | undefined> {
  const choices = await resolveChoices(spec);
  if (!choices || choices.length === 0 || choices.includes(String(spec.default))) return undefined;
  const shown = choices.slice(0, 10).join(', ') + (choices.length > 10 ? ', …' : '');
  return `${spec.name}: the default "${String(spec.default)}" is not available on this ComfyUI server; choose one of: ${shown}`;
}

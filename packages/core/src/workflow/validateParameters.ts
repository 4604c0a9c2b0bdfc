import { randomInt } from 'node:crypto';
import {
  isImageInput,
  type ParameterSpec,
  type ParameterValue,
  type ParameterValues,
  type WorkflowDefinition,
} from './WorkflowDefinition.js';
import { ParameterError, type ParameterProblem } from './ParameterError.js';

/** Resolves `/object_info` choices; a plain list needs none. */
export type ChoiceResolver = (spec: ParameterSpec) => Promise<readonly string[] | undefined>;

/** Largest seed accepted from a user; random seeds are drawn below 2^48. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;
const RANDOM_SEED_LIMIT = 2 ** 48 - 1;

/** A raw value turned into a parameter's type, or why it could not be. */
export type CoercedValue = { ok: true; value: ParameterValue } | { ok: false; problem: string };

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

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
    const coerced = coerceParameterValue(spec, raw);
    const problem = coerced.ok
      ? await unavailableChoice(spec, coerced.value, resolveChoices)
      : coerced.problem;
    if (problem !== undefined) problems.push({ parameter: spec.name, message: problem });
    else if (coerced.ok) values[spec.name] = coerced.value;
  }
  if (problems.length > 0) throw new ParameterError(problems);
  return values;
}

/**
 * The one value coercer every frontend uses: a typed value or the text a user typed (a CLI
 * flag, a chat argument) turned into the parameter's type and checked against its limits.
 * Numbers and booleans may come as text ("30", "yes", "off"); choices are checked against a
 * fixed list here, against the server's live list by {@link validateParameters}.
 */
export function coerceParameterValue(spec: ParameterSpec, raw: unknown): CoercedValue {
  const name = spec.name;
  const refuse = (problem: string): CoercedValue => ({ ok: false, problem });
  switch (spec.type) {
    case 'integer':
    case 'seed':
    case 'number': {
      const value =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw.trim())
            : NaN;
      if (!Number.isFinite(value))
        return refuse(`${name} must be a number, not ${JSON.stringify(raw)}`);
      if (spec.type !== 'number' && !Number.isInteger(value))
        return refuse(`${name} must be a whole number, not ${value}`);
      const min = spec.min ?? (spec.type === 'seed' ? 0 : undefined);
      const max = spec.max ?? (spec.type === 'seed' ? MAX_SEED : undefined);
      if (min !== undefined && value < min)
        return refuse(`${name} must be at least ${min} (got ${value})`);
      if (max !== undefined && value > max)
        return refuse(`${name} must be at most ${max} (got ${value})`);
      return {
        ok: true,
        value: spec.multipleOf ? Math.round(value / spec.multipleOf) * spec.multipleOf : value,
      };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const word = typeof raw === 'string' ? raw.trim().toLowerCase() : String(raw);
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return refuse(`${name} must be true or false (yes/no, on/off), not ${JSON.stringify(raw)}`);
    }
    case 'choice': {
      if (typeof raw !== 'string') return refuse(`${name} must be one of the listed values`);
      if (Array.isArray(spec.choices) && !spec.choices.includes(raw))
        return refuse(notAvailable(name, raw, spec.choices));
      return { ok: true, value: raw };
    }
    case 'image':
      if (isImageInput(raw)) return { ok: true, value: raw };
      if (typeof raw !== 'string') return refuse(`${name} must be an image`);
      return { ok: true, value: raw };
    case 'string': {
      if (typeof raw !== 'string') return refuse(`${name} must be text`);
      const maxLength = spec.maxLength ?? 4000;
      if (raw.length > maxLength)
        return refuse(`${name} is too long (${raw.length} characters, at most ${maxLength})`);
      return { ok: true, value: raw };
    }
  }
}

/** A choice the server does not list (checked live: models differ between servers). */
async function unavailableChoice(
  spec: ParameterSpec,
  value: ParameterValue,
  resolveChoices: ChoiceResolver,
): Promise<string | undefined> {
  if (spec.type !== 'choice' || typeof value !== 'string') return undefined;
  const choices = await resolveChoices(spec);
  return choices && !choices.includes(value) ? notAvailable(spec.name, value, choices) : undefined;
}

function notAvailable(name: string, value: string, choices: readonly string[]): string {
  const shown = choices.slice(0, 10).join(', ') + (choices.length > 10 ? ', …' : '');
  return `${name} "${value}" is not available; choose one of: ${shown}`;
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

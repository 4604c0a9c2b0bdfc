import type { OutputKind, OutputSpec, ParameterType } from '@comfyrelay/core';
import type { WorkflowProblem } from '../detect/WorkflowProblem.js';
import { isObject } from '../read/isObject.js';
import { parseBinding } from './parseBinding.js';
import { isWorkflowIdSlug, workflowIdFromName } from './workflowIdFromName.js';
import type { ManifestParameter, WorkflowManifest } from './WorkflowManifest.js';

const PARAMETER_TYPES: readonly ParameterType[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'choice',
  'seed',
  'image',
];
const OUTPUT_KINDS: readonly OutputKind[] = ['image', 'animated-image', 'video'];
const TOP_KEYS = new Set([
  'id',
  'title',
  'description',
  'detect',
  'parameters',
  'outputs',
  'deadlineMs',
  '$schema',
]);
const PARAMETER_KEYS = new Set([
  'bind',
  'type',
  'description',
  'required',
  'default',
  'min',
  'max',
  'multipleOf',
  'maxLength',
  'choices',
]);

/**
 * Checks a manifest's shape. Every mistake is reported (naming the field) so the operator can
 * fix them all at once; unknown fields are warnings, since they are ignored. The fields that are
 * right are returned even when others are wrong, so what they say (bindings, limits) is checked
 * too; an error still keeps the workflow from being used.
 */
export function parseManifest(
  data: unknown,
  source: string,
): { manifest?: WorkflowManifest; problems: WorkflowProblem[] } {
  const problems: WorkflowProblem[] = [];
  const error = (message: string) =>
    problems.push({
      code: 'manifest_invalid',
      severity: 'error',
      message: `${source}: ${message}`,
    });
  const warn = (message: string) =>
    problems.push({
      code: 'manifest_invalid',
      severity: 'warning',
      message: `${source}: ${message}`,
    });
  if (!isObject(data)) {
    error('a manifest must be a JSON object such as {"title": "…", "parameters": {…}}');
    return { problems };
  }
  const manifest: WorkflowManifest = {};
  for (const key of Object.keys(data))
    if (!TOP_KEYS.has(key)) warn(`unknown field "${key}" is ignored`);
  if (data['id'] !== undefined) {
    const id = data['id'];
    if (typeof id === 'string' && isWorkflowIdSlug(id)) manifest.id = id;
    else error(describeBadId(id));
  }
  for (const key of ['title', 'description'] as const) {
    const value = data[key];
    if (value === undefined) continue;
    if (typeof value === 'string' && value.trim() !== '') manifest[key] = value.trim();
    else error(`"${key}" must be a non-empty string`);
  }
  if (data['detect'] !== undefined) {
    if (typeof data['detect'] === 'boolean') manifest.detect = data['detect'];
    else error('"detect" must be true or false');
  }
  if (data['deadlineMs'] !== undefined) {
    const deadline = data['deadlineMs'];
    if (typeof deadline === 'number' && Number.isInteger(deadline) && deadline > 0)
      manifest.deadlineMs = deadline;
    else error('"deadlineMs" must be a whole number of milliseconds above 0');
  }
  if (data['parameters'] !== undefined) {
    if (!isObject(data['parameters'])) {
      error(
        '"parameters" must be an object of parameter name → settings (or false to hide a detected one)',
      );
    } else {
      manifest.parameters = {};
      for (const [name, entry] of Object.entries(data['parameters'])) {
        const parsed = parseParameter(name, entry, error, warn);
        if (parsed !== undefined) manifest.parameters[name] = parsed;
      }
    }
  }
  if (data['outputs'] !== undefined) {
    const outputs = parseOutputs(data['outputs'], error);
    if (outputs) manifest.outputs = outputs;
  }
  return { manifest, problems };
}

/** An id is used as written or not at all: rewriting it would name a command nobody asked for. */
function describeBadId(id: unknown): string {
  const rule = 'lowercase letters, digits, "-" and "_" (it becomes custom.<id>)';
  if (typeof id !== 'string' || id.trim() === '') return `"id" must be ${rule}`;
  if (id.startsWith('custom.'))
    return `"id" "${id}" must not start with "custom." (it is added): write "${id.slice('custom.'.length)}"`;
  const slug = workflowIdFromName(id).slice('custom.'.length);
  return `"id" "${id}" must be ${rule}, such as "${slug}"`;
}

function parseParameter(
  name: string,
  entry: unknown,
  error: (message: string) => void,
  warn: (message: string) => void,
): ManifestParameter | false | undefined {
  const at = `parameters.${name}`;
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    error(
      `parameter name "${name}" must be lowercase letters, digits and _ (starting with a letter), as chat commands need`,
    );
    return undefined;
  }
  if (entry === false) return false;
  if (!isObject(entry)) {
    error(`${at} must be an object of settings, or false to hide a detected parameter`);
    return undefined;
  }
  const parameter: ManifestParameter = {};
  for (const key of Object.keys(entry))
    if (!PARAMETER_KEYS.has(key)) warn(`${at}: unknown field "${key}" is ignored`);
  if (entry['bind'] !== undefined) {
    const bind = parseBinding(entry['bind']);
    if (bind) parameter.bind = bind;
    else
      error(
        `${at}.bind must be "NODE.INPUT" (e.g. "6.text"), {"node": "6", "input": "text"}, or a list of them`,
      );
  }
  const type = entry['type'];
  if (type !== undefined) {
    if (typeof type === 'string' && (PARAMETER_TYPES as readonly string[]).includes(type))
      parameter.type = type as ParameterType;
    else error(`${at}.type must be one of ${PARAMETER_TYPES.join(', ')}`);
  }
  if (entry['description'] !== undefined) {
    if (typeof entry['description'] === 'string') parameter.description = entry['description'];
    else error(`${at}.description must be text`);
  }
  if (entry['required'] !== undefined) {
    if (typeof entry['required'] === 'boolean') parameter.required = entry['required'];
    else error(`${at}.required must be true or false`);
  }
  const value = entry['default'];
  if (value !== undefined) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      parameter.default = value;
    else error(`${at}.default must be text, a number or true/false`);
  }
  for (const key of ['min', 'max', 'multipleOf', 'maxLength'] as const) {
    const number = entry[key];
    if (number === undefined) continue;
    if (typeof number === 'number' && Number.isFinite(number)) parameter[key] = number;
    else error(`${at}.${key} must be a number`);
  }
  if (parameter.min !== undefined && parameter.max !== undefined && parameter.min > parameter.max) {
    error(`${at}: min (${parameter.min}) is above max (${parameter.max})`);
    // Neither bound can be trusted: keeping them would only repeat this mistake in other words.
    delete parameter.min;
    delete parameter.max;
  }
  const choices = entry['choices'];
  if (choices !== undefined) {
    if (
      Array.isArray(choices) &&
      choices.length > 0 &&
      choices.every((c) => typeof c === 'string')
    ) {
      parameter.choices = choices as string[];
    } else if (
      isObject(choices) &&
      typeof choices['classType'] === 'string' &&
      typeof choices['input'] === 'string'
    ) {
      parameter.choices = { classType: choices['classType'], input: choices['input'] };
    } else {
      error(
        `${at}.choices must be a list of strings, or {"classType": "…", "input": "…"} to read them from the server`,
      );
    }
  }
  return parameter;
}

function parseOutputs(value: unknown, error: (message: string) => void): OutputSpec[] | undefined {
  if (!Array.isArray(value)) {
    error('"outputs" must be a list such as [{"node": "9", "kind": "image"}]');
    return undefined;
  }
  const outputs: OutputSpec[] = [];
  value.forEach((item, i) => {
    if (!isObject(item) || !(OUTPUT_KINDS as readonly unknown[]).includes(item['kind'])) {
      error(`outputs[${i}] needs "kind": one of ${OUTPUT_KINDS.join(', ')}`);
      return;
    }
    if (item['node'] !== undefined && typeof item['node'] !== 'string') {
      error(`outputs[${i}].node must be a node id as a string`);
      return;
    }
    if (item['mime'] !== undefined && typeof item['mime'] !== 'string') {
      error(`outputs[${i}].mime must be a MIME type such as "image/png"`);
      return;
    }
    outputs.push({
      kind: item['kind'] as OutputKind,
      ...(typeof item['node'] === 'string' ? { node: item['node'] } : {}),
      ...(typeof item['mime'] === 'string' ? { mime: item['mime'] } : {}),
    });
  });
  return outputs;
}

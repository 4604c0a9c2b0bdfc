import {
  MAX_SEED,
  type ObjectInfo,
  type OutputSpec,
  type ParameterSpec,
  type ParameterType,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import { liveSource } from '@comfyrelay/core';
import { choicesIn } from '@comfyrelay/core/protocol';
import { FOLDER_PLUGIN_NAME } from './loadPlugins.js';

/** One parameter of a workflow, as `workflows --json` prints it (every key always present). */
export interface ParameterView {
  name: string;
  type: ParameterType;
  required: boolean;
  description: string | null;
  default: string | number | boolean | null;
  min: number | null;
  max: number | null;
  multipleOf: number | null;
  maxLength: number | null;
  /** Fixed choices, or the live ones when they were read from ComfyUI. */
  choices: string[] | null;
  /** "CheckpointLoaderSimple.ckpt_name" when the choices come from ComfyUI's /object_info. */
  choicesFrom: string | null;
}

export interface ActionView {
  id: string;
  label: string;
  /** The workflow the action runs (the same one unless another is named). */
  workflow: string;
  /** The action works on the result's image (upscale, animate …). */
  usesOutputImage: boolean;
}

/** A workflow, generated from its definition alone: what `workflows --json` prints. */
export interface WorkflowView {
  id: string;
  title: string;
  description: string;
  /** The plugin that registered it. */
  plugin: string | null;
  parameters: ParameterView[];
  outputs: OutputSpec[];
  actions: ActionView[];
}

export function workflowView(
  definition: WorkflowDefinition,
  plugin: string | undefined,
  objectInfo?: ObjectInfo,
): WorkflowView {
  return {
    id: definition.id,
    title: definition.title,
    description: definition.description,
    plugin: plugin ?? null,
    parameters: definition.parameters.map((spec) => parameterView(spec, objectInfo)),
    outputs: definition.outputs.map((output) => ({ ...output })),
    actions: (definition.actions ?? []).map((action) => ({
      id: action.id,
      label: action.label,
      workflow: action.workflow ?? definition.id,
      usesOutputImage: action.usesOutputImage === true,
    })),
  };
}

export function parameterView(spec: ParameterSpec, objectInfo?: ObjectInfo): ParameterView {
  const live = liveSource(spec);
  const choices = live
    ? ((objectInfo && choicesIn(objectInfo, live)) ?? null)
    : Array.isArray(spec.choices)
      ? [...(spec.choices as readonly string[])]
      : null;
  return {
    name: spec.name,
    type: spec.type,
    required: spec.required === true,
    description: spec.description ?? null,
    default: spec.default ?? null,
    min: spec.min ?? null,
    max: spec.max ?? null,
    multipleOf: spec.multipleOf ?? null,
    maxLength: spec.maxLength ?? null,
    choices,
    choicesFrom: live ? `${live.classType}.${live.input}` : null,
  };
}

/** What a value of this type looks like on the command line. */
export function placeholder(parameter: ParameterView): string {
  switch (parameter.type) {
    case 'string':
      return 'TEXT';
    case 'integer':
    case 'seed':
      return 'N';
    case 'number':
      return 'NUMBER';
    case 'boolean':
      return 'true|false';
    case 'choice':
      return 'CHOICE';
    case 'image':
      return 'PATH';
  }
}

/** The option that gives this parameter: `-p steps=N`, `--image image=PATH`. */
export function optionFor(parameter: ParameterView): string {
  return parameter.type === 'image'
    ? `--image ${parameter.name}=PATH`
    : `-p ${parameter.name}=${placeholder(parameter)}`;
}

/**
 * A parameter's rules in words: "required", "default 512", "64 to 2048, a multiple of 8",
 * "one of …", "from ComfyUI: CheckpointLoaderSimple.ckpt_name". `maxChoices` cuts long lists;
 * what the parameter's own description already says (a rounding, a random seed) is left out.
 */
export function describeRules(
  parameter: ParameterView,
  maxChoices = Infinity,
  said = '',
): string[] {
  const parts: string[] = [];
  const already = said.toLowerCase();
  if (parameter.required) parts.push('required');
  if (parameter.type === 'seed') {
    if (!already.includes('random')) parts.push('random for every generation unless given');
  } else if (parameter.default !== null) parts.push(`default ${formatValue(parameter.default)}`);
  // A seed's usual range (0 … 2^53−1) goes without saying.
  const seedRange =
    parameter.type === 'seed' &&
    (parameter.min ?? 0) === 0 &&
    (parameter.max ?? MAX_SEED) === MAX_SEED;
  const min = parameter.min;
  const max = parameter.max;
  if (seedRange) {
    // nothing to add
  } else if (min !== null && max !== null) parts.push(`${min} to ${max}`);
  else if (min !== null) parts.push(`at least ${min}`);
  else if (max !== null) parts.push(`at most ${max}`);
  if (parameter.multipleOf !== null && !already.includes(`multiple of ${parameter.multipleOf}`))
    parts.push(`rounded to a multiple of ${parameter.multipleOf}`);
  if (parameter.maxLength !== null) parts.push(`at most ${parameter.maxLength} characters`);
  if (parameter.choicesFrom !== null) {
    parts.push(
      parameter.choices
        ? `from ComfyUI (${parameter.choicesFrom}): ${listChoices(parameter.choices, maxChoices)}`
        : `from ComfyUI: ${parameter.choicesFrom}`,
    );
  } else if (parameter.choices) {
    parts.push(`one of ${listChoices(parameter.choices, maxChoices)}`);
  }
  if (parameter.type === 'image')
    parts.push("a picture file (or the name of one in ComfyUI's input folder)");
  return parts;
}

/** The listing of every workflow (`comfyrelay workflows`). */
export function formatWorkflowList(views: WorkflowView[], header: string[] = []): string {
  const lines: string[] = [...header];
  for (const view of views) {
    if (lines.length > 0) lines.push('');
    lines.push(`${view.id}  ${view.title}${view.plugin ? `  [${shortPlugin(view.plugin)}]` : ''}`);
    if (view.description) lines.push(`  ${view.description}`);
    if (view.parameters.length === 0) lines.push('  parameters: none');
    else lines.push('  parameters:');
    const nameWidth = Math.max(0, ...view.parameters.map((p) => p.name.length));
    const typeWidth = Math.max(0, ...view.parameters.map((p) => p.type.length));
    for (const parameter of view.parameters) {
      const rules = describeRules(parameter, 6).join('; ');
      lines.push(
        `    ${parameter.name.padEnd(nameWidth)}  ${parameter.type.padEnd(typeWidth)}  ${rules}`.trimEnd(),
      );
    }
    lines.push(`  outputs: ${view.outputs.map(describeOutput).join(', ') || 'none declared'}`);
    if (view.actions.length > 0)
      lines.push(
        `  follow-up actions: ${view.actions.map((a) => describeAction(a, view.id)).join(', ')}`,
      );
  }
  lines.push(
    '',
    'Run one: comfyrelay generate <id> -p NAME=VALUE …   Details: comfyrelay workflows <id>',
  );
  return `${lines.join('\n')}\n`;
}

/** One workflow in detail, like a command's --help (`comfyrelay workflows <id>`). */
export function formatWorkflowHelp(view: WorkflowView): string {
  const lines: string[] = [];
  lines.push(
    `${view.id}: ${view.title}${view.plugin ? ` (from ${shortPlugin(view.plugin)})` : ''}`,
  );
  if (view.description) lines.push('', view.description);
  const required = view.parameters.filter((p) => p.required).map((p) => ` ${optionFor(p)}`);
  lines.push(
    '',
    `Usage: comfyrelay generate ${view.id}${required.join('')} [-p NAME=VALUE]… [options]`,
  );
  lines.push('', view.parameters.length > 0 ? 'Parameters:' : 'Parameters: none');
  const options = view.parameters.map(optionFor);
  const width = Math.max(0, ...options.map((option) => option.length));
  view.parameters.forEach((parameter, i) => {
    const head = `  ${(options[i] ?? '').padEnd(width)}  `;
    const text = [
      parameter.description ? sentence(parameter.description) : undefined,
      sentence(describeRules(parameter, Infinity, parameter.description ?? '').join('; ')),
    ]
      .filter((part): part is string => !!part)
      .join(' ');
    lines.push(`${head}${text}`.trimEnd());
  });
  lines.push('', 'Outputs:');
  for (const output of view.outputs) lines.push(`  ${describeOutput(output)}`);
  if (view.outputs.length === 0) lines.push('  none declared (every output node of the graph)');
  if (view.actions.length > 0) {
    lines.push('', 'Follow-up actions (--action ID, run on each result):');
    const idWidth = Math.max(...view.actions.map((a) => a.id.length));
    for (const action of view.actions) {
      const runs = action.workflow !== view.id ? `, runs ${action.workflow}` : '';
      const image = action.usesOutputImage ? " on the result's image" : '';
      lines.push(`  ${action.id.padEnd(idWidth)}  ${action.label}${runs}${image}`);
    }
  }
  lines.push(
    '',
    'Options of generate: --count N, --comfy URL, --out DIR, --json, --action ID (see comfyrelay generate --help).',
  );
  return `${lines.join('\n')}\n`;
}

function describeOutput(output: OutputSpec): string {
  return `${output.kind}${output.mime ? ` (${output.mime})` : ''}${output.node !== undefined ? ` from node ${output.node}` : ''}`;
}

function describeAction(action: ActionView, workflowId: string): string {
  return action.workflow === workflowId ? action.id : `${action.id} → ${action.workflow}`;
}

function shortPlugin(plugin: string): string {
  return plugin === FOLDER_PLUGIN_NAME
    ? 'your workflow folder'
    : plugin.replace(/^@comfyrelay\//, '');
}

function listChoices(choices: string[], max: number): string {
  if (choices.length === 0) return '(none installed)';
  if (choices.length <= max) return choices.join(', ');
  return `${choices.slice(0, max).join(', ')}, … (${choices.length - max} more)`;
}

function formatValue(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const oneLine = value.replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > 60 ? `${oneLine.slice(0, 59)}…` : oneLine);
}

function sentence(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const capital = trimmed[0]?.toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

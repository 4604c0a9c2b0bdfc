import { randomBytes } from 'node:crypto';
import {
  MAX_SEED,
  type ApiWorkflow,
  type NodeInputValue,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import {
  readApiWorkflowFile,
  readApiWorkflowText,
  type ReadApiWorkflowResult,
} from '@comfyrelay/plugin-folder';
import { UsageError } from './errors.js';

/** Inputs ComfyUI's "randomize" control rerolls for every queued prompt. */
const SEED_INPUTS = new Set(['seed', 'noise_seed']);

/** Read an API-format workflow ("Export (API)"), bare or inside a `{ "prompt": … }` wrapper. */
export async function loadWorkflowFile(path: string): Promise<ApiWorkflow> {
  const read = await readApiWorkflowFile(path, { name: path });
  if (!read.ok && read.notFound) throw new UsageError(`workflow file not found: ${path}`);
  return graphOrUsageError(read);
}

export function parseWorkflow(text: string, source: string): ApiWorkflow {
  return graphOrUsageError(readApiWorkflowText(text, { name: source }));
}

function graphOrUsageError(read: ReadApiWorkflowResult): ApiWorkflow {
  if (read.ok) return read.graph;
  const [first, ...more] = read.problems;
  const others = more.length > 0 ? ` (and ${more.length} more like it)` : '';
  throw new UsageError(`${first?.message ?? 'not a workflow'}${others}`);
}

/** One `--set NODE.INPUT=VALUE`. */
export interface InputOverride {
  nodeId: string;
  input: string;
  value: NodeInputValue;
}

/** Parse `NODE.INPUT=VALUE`: the input name follows the last dot before `=` (node ids such as "12:3" may hold anything). */
export function parseSetOption(text: string): InputOverride {
  const equals = text.indexOf('=');
  const target = equals === -1 ? text : text.slice(0, equals);
  const dot = target.lastIndexOf('.');
  if (equals === -1 || dot <= 0 || dot === target.length - 1) {
    throw new UsageError(
      `--set "${text}" must look like NODE.INPUT=VALUE, for example --set 3.steps=30`,
    );
  }
  return {
    nodeId: target.slice(0, dot),
    input: target.slice(dot + 1),
    value: parseInputValue(text.slice(equals + 1), text),
  };
}

/** Numbers, booleans, null and JSON (arrays, objects, "quoted strings") as such; anything else is a string. */
export function parseInputValue(text: string, option = text): NodeInputValue {
  const trimmed = text.trim();
  if (trimmed === '') return text;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return text;
  }
  if (typeof value === 'number' && /^-?\d+$/.test(trimmed) && !Number.isSafeInteger(value)) {
    throw new UsageError(
      `--set "${option}": ${trimmed} is too large to send exactly (the limit is ${Number.MAX_SAFE_INTEGER})`,
    );
  }
  return value as NodeInputValue;
}

/** Apply the overrides to a copy; an unknown node id is refused, naming the nodes that exist. */
export function applyOverrides(workflow: ApiWorkflow, overrides: InputOverride[]): ApiWorkflow {
  const copy = structuredClone(workflow);
  for (const { nodeId, input, value } of overrides) {
    const node = copy[nodeId];
    if (!node) {
      throw new UsageError(
        `--set ${nodeId}.${input}: the workflow has no node "${nodeId}" (its nodes are ${describeNodes(copy)})`,
      );
    }
    node.inputs[input] = value;
  }
  return copy;
}

function describeNodes(workflow: ApiWorkflow): string {
  return Object.entries(workflow)
    .map(([id, node]) => `${id} ${node.class_type}`)
    .join(', ');
}

/** `nodeId.input` of every seed input holding a number (linked seeds come from another node: left alone). */
export function seedInputsOf(
  workflow: ApiWorkflow,
  except: ReadonlySet<string> = new Set(),
): string[] {
  const found: string[] = [];
  for (const [nodeId, node] of Object.entries(workflow)) {
    for (const [input, value] of Object.entries(node.inputs)) {
      const key = `${nodeId}.${input}`;
      if (SEED_INPUTS.has(input) && typeof value === 'number' && !except.has(key)) found.push(key);
    }
  }
  return found;
}

/** One submission: its graph and the seeds chosen for it. */
export interface PlannedGeneration {
  graph: ApiWorkflow;
  /** `nodeId.input` → seed, for the seeds rerolled for this generation. */
  seeds: Record<string, number>;
}

/**
 * `count` copies of the workflow. With more than one, every seed input not set by hand gets a
 * fresh random value per copy (no two copies share one), as ComfyUI's "randomize" does.
 */
export function planGenerations(
  workflow: ApiWorkflow,
  count: number,
  fixed: ReadonlySet<string>,
  random: () => number = randomSeed,
): PlannedGeneration[] {
  const seedKeys = count > 1 ? seedInputsOf(workflow, fixed) : [];
  const used = new Set<number>();
  const fresh = () => {
    let seed = random();
    while (used.has(seed)) seed = random();
    used.add(seed);
    return seed;
  };
  return Array.from({ length: count }, () => {
    const graph = structuredClone(workflow);
    const seeds: Record<string, number> = {};
    for (const key of seedKeys) {
      const dot = key.lastIndexOf('.');
      const node = graph[key.slice(0, dot)];
      if (!node) continue;
      const seed = fresh();
      node.inputs[key.slice(dot + 1)] = seed;
      seeds[key] = seed;
    }
    return { graph, seeds };
  });
}

/** Uniform over 0..MAX_SEED (2^53 - 1: the largest integer JSON round-trips exactly through JavaScript). */
export function randomSeed(): number {
  const value = randomBytes(8).readBigUInt64BE() % (BigInt(MAX_SEED) + 1n);
  return Number(value);
}

/**
 * `--set` values as the parameters of the file's definition (`NODE.INPUT`): core validates
 * them. An input that holds a link or a list is not a parameter and is refused in words.
 */
export function parametersFromOverrides(
  definition: WorkflowDefinition,
  overrides: readonly InputOverride[],
): Record<string, unknown> {
  const specs = new Map(definition.parameters.map((spec) => [spec.name, spec]));
  const values: Record<string, unknown> = {};
  for (const { nodeId, input, value } of overrides) {
    const name = `${nodeId}.${input}`;
    const spec = specs.get(name);
    if (!spec) {
      const current = definition.template[nodeId]?.inputs[input];
      throw new UsageError(
        current === undefined
          ? `--set ${name}: node ${nodeId} has no input "${input}"`
          : `--set ${name}: that input holds ${Array.isArray(current) && current.length === 2 ? 'a link to another node' : 'a list'}, not a value that can be set`,
      );
    }
    values[name] = spec.type === 'string' && typeof value !== 'string' ? String(value) : value;
  }
  return values;
}

/** The file's own seeds: used as they are unless `--count` rerolls them or `--set` changes them. */
export function seedDefaults(definition: WorkflowDefinition): Record<string, unknown> {
  return Object.fromEntries(
    definition.parameters
      .filter((spec) => spec.type === 'seed' && spec.default !== undefined)
      .map((spec) => [spec.name, spec.default]),
  );
}

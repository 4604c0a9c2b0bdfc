import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MAX_SEED, type ApiWorkflow, type NodeInputValue } from '@comfyrelay/core';
import { UsageError } from './errors.js';

/** Inputs ComfyUI's "randomize" control rerolls for every queued prompt. */
const SEED_INPUTS = new Set(['seed', 'noise_seed']);

/** Read an API-format workflow ("Export (API)"), bare or inside a `{ "prompt": … }` wrapper. */
export async function loadWorkflowFile(path: string): Promise<ApiWorkflow> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `workflow file not found: ${path}`
        : `cannot read ${path}: ${String(error)}`,
    );
  }
  return parseWorkflow(text, path);
}

export function parseWorkflow(text: string, source: string): ApiWorkflow {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (isObject(data) && isObject(data['prompt'])) data = data['prompt'];
  if (!isObject(data))
    throw new UsageError(`${source} does not hold a workflow (expected a JSON object of nodes)`);
  if (Array.isArray(data['nodes']) && Array.isArray(data['links'])) {
    throw new UsageError(
      `${source} is a UI-format workflow; in ComfyUI use "Export (API)" (Workflow menu) and run that file instead`,
    );
  }
  const ids = Object.keys(data);
  if (ids.length === 0) throw new UsageError(`${source} holds no nodes`);
  for (const id of ids) {
    const node = data[id];
    if (!isObject(node) || typeof node['class_type'] !== 'string' || !isObject(node['inputs'])) {
      throw new UsageError(
        `${source}: node ${id} is not an API-format node (it needs "class_type" and "inputs")`,
      );
    }
  }
  return data as unknown as ApiWorkflow;
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { randomBytes } from 'node:crypto';
import { MAX_SEED, type ApiWorkflow, type WorkflowDefinition } from '@comfyrelay/core';

/** Inputs ComfyUI's "randomize" control rerolls for every queued prompt. */
const SEED_INPUTS = new Set(['seed', 'noise_seed']);

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

/** The file's own seeds: used as they are unless `--count` rerolls them or `--set` changes them. */
export function seedDefaults(definition: WorkflowDefinition): Record<string, unknown> {
  return Object.fromEntries(
    definition.parameters
      .filter((spec) => spec.type === 'seed' && spec.default !== undefined)
      .map((spec) => [spec.name, spec.default]),
  );
}

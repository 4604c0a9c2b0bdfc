import type { ApiWorkflow } from '../protocol/graph.js';
import { choicesOf, type BackendCapabilities } from './Capabilities.js';

/** A literal value a graph gives an input: `CheckpointLoaderSimple.ckpt_name = "sd15.safetensors"`. */
export interface ComboValue {
  readonly classType: string;
  readonly input: string;
  readonly value: string;
}

/** What a rendered graph needs from the server that runs it. */
export interface JobRequirements {
  /** The node classes it uses. */
  readonly nodeClasses: ReadonlySet<string>;
  /** The values it gives combo inputs, each once, in graph order. */
  readonly comboValues: readonly ComboValue[];
}

/**
 * What a rendered graph needs: its node classes, and the literal string values of its combo
 * inputs (links are not values). Which inputs are combos is the server's to say: with
 * `capabilities`, only inputs that are combos there are kept; without, every literal string
 * input is kept, and `missingOn` checks only those each server lists as combos. O(graph size).
 */
export function requirementsOf(
  graph: ApiWorkflow,
  capabilities?: BackendCapabilities,
): JobRequirements {
  const nodeClasses = new Set<string>();
  const comboValues: ComboValue[] = [];
  const seen = new Set<string>();
  for (const node of Object.values(graph)) {
    const classType = node.class_type;
    nodeClasses.add(classType);
    for (const [input, value] of Object.entries(node.inputs ?? {})) {
      if (typeof value !== 'string') continue; // numbers, flags, links: not combo values
      if (capabilities && !choicesOf(capabilities, classType, input)) continue;
      // Each part led by its length: no separator a class, input or file name could contain
      // breaks it (and it is cheaper than JSON of the triple, once per string input per job).
      const key = `${classType.length}:${classType}${input.length}:${input}${value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      comboValues.push({ classType, input, value });
    }
  }
  return { nodeClasses, comboValues };
}

import type { ApiWorkflow } from '@comfyrelay/core';

export type LiteralValue = string | number | boolean;

/** A node input holding a literal value (not a link): the only kind a parameter may replace. */
export interface Slot {
  node: string;
  input: string;
  classType: string;
  value: LiteralValue;
}

export function isLiteral(value: unknown): value is LiteralValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export function literalSlot(graph: ApiWorkflow, node: string, input: string): Slot | undefined {
  const found = graph[node];
  const value = found?.inputs[input];
  if (!found || !isLiteral(value)) return undefined;
  return { node, input, classType: found.class_type, value };
}

export function slotKey(slot: { node: string; input: string }): string {
  return `${slot.node}.${slot.input}`;
}

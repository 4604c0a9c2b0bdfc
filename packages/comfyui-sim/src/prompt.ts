/** The API-format graph posted to /prompt: `{nodeId: {class_type, inputs}}`; a link is `[nodeId, outputIndex]`. */
export interface ApiNode {
  class_type?: unknown;
  inputs?: unknown;
  [key: string]: unknown;
}

export type ApiPrompt = Record<string, ApiNode>;

export type Link = [string, number];

export function isLink(value: unknown): value is Link {
  return Array.isArray(value) && value.length === 2;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nodeInputs(node: ApiNode | undefined): Record<string, unknown> {
  return isPlainObject(node?.inputs) ? node.inputs : {};
}

/** A link from another node's output: `[nodeId, outputIndex]`. */
export type NodeLink = [nodeId: string, outputIndex: number];

export type NodeInputValue =
  string | number | boolean | null | NodeLink | NodeInputValue[] | { [key: string]: unknown };

/** One node of an API-format workflow, as ComfyUI's "Export (API)" writes it. */
export interface ApiNode {
  class_type: string;
  inputs: Record<string, NodeInputValue>;
  _meta?: { title?: string };
}

/** An API-format workflow: node id → node. */
export type ApiWorkflow = Record<string, ApiNode>;

export function isNodeLink(value: unknown): value is NodeLink {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'number'
  );
}

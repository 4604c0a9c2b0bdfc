import type { ApiNode } from '@comfyrelay/core';

/** `node 6 (CLIPTextEncode "Negative")`: the id, the class, and the title when it says more than the class. */
export function describeNode(
  id: string,
  node: Pick<ApiNode, 'class_type' | '_meta'> | undefined,
): string {
  if (!node) return `node ${id}`;
  const title = node._meta?.title?.trim();
  const shown = title && title !== node.class_type ? ` "${title}"` : '';
  return `node ${id} (${node.class_type}${shown})`;
}

import { createHash } from 'node:crypto';
import { isLink, nodeInputs, type ApiPrompt } from '../prompt.js';
import type { NodeRegistry } from '../nodes/registry.js';
import type { CatalogContext, UiOutput } from '../nodes/types.js';

export interface CacheEntry {
  outputs: readonly unknown[];
  ui: UiOutput | undefined;
}

/**
 * ComfyUI's classic cache: outputs keyed by input signature (class, inputs, and the signatures of
 * everything upstream), not by node id. Before each prompt, entries the new prompt does not use
 * are dropped, so only the previous prompt's nodes can be reused.
 */
export class OutputCache {
  private readonly entries = new Map<string, CacheEntry>();

  has(signature: string | undefined): boolean {
    return signature !== undefined && this.entries.has(signature);
  }

  get(signature: string | undefined): CacheEntry | undefined {
    return signature === undefined ? undefined : this.entries.get(signature);
  }

  set(signature: string, entry: CacheEntry): void {
    this.entries.set(signature, entry);
  }

  retainOnly(signatures: Iterable<string>): void {
    const keep = new Set(signatures);
    for (const signature of this.entries.keys())
      if (!keep.has(signature)) this.entries.delete(signature);
  }
}

export function computeSignatures(
  prompt: ApiPrompt,
  registry: NodeRegistry,
  catalog: CatalogContext,
): Map<string, string> {
  const signatures = new Map<string, string>();
  const visiting = new Set<string>();
  const signatureOf = (nodeId: string): string => {
    const known = signatures.get(nodeId);
    if (known) return known;
    if (visiting.has(nodeId) || !(nodeId in prompt)) return `unresolved:${nodeId}`;
    visiting.add(nodeId);
    const node = prompt[nodeId];
    const inputs = nodeInputs(node);
    const definition = registry.get(node?.class_type);
    const parts = Object.keys(inputs)
      .sort()
      .map((name) => {
        const value = inputs[name];
        return isLink(value) && typeof value[0] === 'string'
          ? [name, 'ANCESTOR', signatureOf(value[0]), value[1]]
          : [name, value];
      });
    const fingerprint = definition?.fingerprint?.(inputs, catalog) ?? null;
    const signature = createHash('sha1')
      .update(JSON.stringify([node?.class_type, fingerprint, parts]))
      .digest('hex');
    visiting.delete(nodeId);
    signatures.set(nodeId, signature);
    return signature;
  };
  for (const nodeId of Object.keys(prompt)) signatureOf(nodeId);
  return signatures;
}

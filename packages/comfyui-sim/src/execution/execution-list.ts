import { isLink, nodeInputs, type ApiPrompt } from '../prompt.js';
import type { NodeRegistry } from '../nodes/registry.js';

/**
 * ComfyUI's ExecutionList: stages the output nodes and everything upstream that is not cached,
 * then hands out runnable nodes, output nodes first (ux_friendly_pick_node).
 */
export class ExecutionList {
  /** Insertion order matters: it is the tie-break for which runnable node goes next. */
  private readonly pending = new Set<string>();
  private readonly blockCount = new Map<string, number>();
  private readonly blocking = new Map<string, Set<string>>();

  constructor(
    private readonly prompt: ApiPrompt,
    private readonly registry: NodeRegistry,
    private readonly isCached: (nodeId: string) => boolean,
  ) {}

  addNode(nodeId: string): void {
    const stack = [nodeId];
    const links: [string, string][] = [];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (this.pending.has(id)) continue;
      this.pending.add(id);
      this.blockCount.set(id, 0);
      this.blocking.set(id, this.blocking.get(id) ?? new Set());
      for (const value of Object.values(nodeInputs(this.prompt[id]))) {
        if (!isLink(value) || typeof value[0] !== 'string') continue;
        if (!this.isCached(value[0])) stack.push(value[0]);
        links.push([value[0], id]);
      }
    }
    for (const [from, to] of links) {
      if (this.isCached(from)) continue;
      const blocked = this.blocking.get(from) ?? new Set<string>();
      this.blocking.set(from, blocked);
      if (blocked.has(to)) continue;
      blocked.add(to);
      this.blockCount.set(to, (this.blockCount.get(to) ?? 0) + 1);
    }
  }

  /** Staged node ids in staging order. */
  pendingIds(): string[] {
    return [...this.pending];
  }

  next(): string | undefined {
    const available = [...this.pending].filter((id) => this.blockCount.get(id) === 0);
    if (available.length === 0) return undefined;
    const blocks = (id: string): string[] => [...(this.blocking.get(id) ?? [])];
    return (
      available.find((id) => this.isOutput(id)) ??
      available.find((id) => blocks(id).some((b) => this.isOutput(b))) ??
      available.find((id) => blocks(id).some((b) => blocks(b).some((c) => this.isOutput(c)))) ??
      available[0]
    );
  }

  complete(nodeId: string): void {
    this.pending.delete(nodeId);
    for (const blocked of this.blocking.get(nodeId) ?? []) {
      this.blockCount.set(blocked, (this.blockCount.get(blocked) ?? 1) - 1);
    }
    this.blocking.delete(nodeId);
  }

  private isOutput(nodeId: string): boolean {
    return this.registry.get(this.prompt[nodeId]?.class_type)?.outputNode === true;
  }
}

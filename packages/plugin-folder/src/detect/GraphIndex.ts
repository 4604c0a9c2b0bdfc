import { isNodeLink, type ApiNode, type ApiWorkflow, type NodeLink } from '@comfyrelay/core';
import { compareNodeIds } from './compareNodeIds.js';

/** One link, seen from the node that takes it: `graph[to].inputs[input] = [from, output]`. */
export interface GraphLink {
  to: string;
  input: string;
  from: string;
  output: number;
}

/**
 * Who links to whom in an API-format graph, and the order ComfyUI would run the nodes in
 * (a node after everything it takes input from; ties by id). The "first" sampler is the
 * first one in that order, whatever the ids or their order in the file.
 */
export class GraphIndex {
  readonly ids: string[];
  /** Execution order; nodes caught in a loop come last, by id. */
  readonly order: string[];
  private readonly incoming = new Map<string, GraphLink[]>();
  private readonly outgoing = new Map<string, GraphLink[]>();
  private readonly rank = new Map<string, number>();

  constructor(readonly graph: ApiWorkflow) {
    this.ids = Object.keys(graph).sort(compareNodeIds);
    for (const id of this.ids) {
      this.incoming.set(id, []);
      this.outgoing.set(id, []);
    }
    for (const id of this.ids) {
      for (const [input, value] of Object.entries(graph[id]?.inputs ?? {})) {
        if (!isNodeLink(value)) continue;
        const link: GraphLink = { to: id, input, from: value[0], output: value[1] };
        this.incoming.get(id)?.push(link);
        this.outgoing.get(value[0])?.push(link);
      }
    }
    this.order = this.executionOrder();
    this.order.forEach((id, i) => this.rank.set(id, i));
  }

  node(id: string): ApiNode | undefined {
    return Object.hasOwn(this.graph, id) ? this.graph[id] : undefined;
  }

  classOf(id: string): string | undefined {
    return this.node(id)?.class_type;
  }

  /** Links into `id` (its linked inputs). */
  linksInto(id: string): GraphLink[] {
    return this.incoming.get(id) ?? [];
  }

  /** Links out of `id` (inputs of other nodes that take one of its outputs). */
  linksFrom(id: string): GraphLink[] {
    return this.outgoing.get(id) ?? [];
  }

  /** The link held by `graph[id].inputs[input]`, if that input is a link to a node that exists. */
  link(id: string, input: string): NodeLink | undefined {
    const value = this.node(id)?.inputs[input];
    return isNodeLink(value) && this.node(value[0]) ? value : undefined;
  }

  /** Position in the execution order (lower runs first). */
  rankOf(id: string): number {
    return this.rank.get(id) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Kahn's algorithm, always taking the smallest ready id, so the order is stable. */
  private executionOrder(): string[] {
    const pending = new Map<string, number>();
    for (const id of this.ids) {
      pending.set(
        id,
        new Set(
          this.linksInto(id)
            .filter((l) => this.node(l.from))
            .map((l) => l.from),
        ).size,
      );
    }
    const ready = this.ids.filter((id) => pending.get(id) === 0);
    const order: string[] = [];
    const done = new Set<string>();
    while (ready.length > 0) {
      ready.sort(compareNodeIds);
      const id = ready.shift() as string;
      order.push(id);
      done.add(id);
      const consumers = new Set(this.linksFrom(id).map((l) => l.to));
      for (const consumer of consumers) {
        const left = (pending.get(consumer) ?? 0) - 1;
        pending.set(consumer, left);
        if (left === 0) ready.push(consumer);
      }
    }
    return [...order, ...this.ids.filter((id) => !done.has(id))];
  }
}

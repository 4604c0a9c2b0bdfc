type NodeState = 'running' | 'finished';

interface NodeProgress {
  value: number;
  max: number;
  state: NodeState;
}

/** Builds the `progress_state` messages: every node that has started, with its state and progress. */
export class ProgressState {
  private readonly nodes = new Map<string, NodeProgress>();

  constructor(
    private readonly promptId: string,
    private readonly send: (data: Record<string, unknown>) => void,
  ) {}

  start(nodeId: string): void {
    this.nodes.set(nodeId, { value: 0, max: 1, state: 'running' });
    this.emit();
  }

  update(nodeId: string, value: number, max: number): void {
    this.nodes.set(nodeId, { value, max, state: 'running' });
    this.emit();
  }

  finish(nodeId: string): void {
    const max = this.nodes.get(nodeId)?.max ?? 1;
    this.nodes.set(nodeId, { value: max, max, state: 'finished' });
    this.emit();
  }

  private emit(): void {
    const nodes: Record<string, unknown> = {};
    for (const [nodeId, progress] of this.nodes) {
      nodes[nodeId] = {
        ...progress,
        node_id: nodeId,
        prompt_id: this.promptId,
        display_node_id: nodeId,
        parent_node_id: null,
        real_node_id: nodeId,
      };
    }
    this.send({ prompt_id: this.promptId, nodes });
  }
}

import type { NodeDefinition } from './types.js';
import { loaderNodes } from './loader-nodes.js';
import { conditioningNodes } from './conditioning-nodes.js';
import { latentNodes } from './latent-nodes.js';
import { samplingNodes } from './sampling-nodes.js';
import { imageNodes } from './image-nodes.js';
import { harnessNodes } from './harness-nodes.js';

/** Every node family the simulator knows; a new family is one more file added here. */
const NODE_FAMILIES: readonly (readonly NodeDefinition[])[] = [
  loaderNodes,
  conditioningNodes,
  latentNodes,
  samplingNodes,
  imageNodes,
  harnessNodes,
];

export class NodeRegistry {
  private readonly definitions = new Map<string, NodeDefinition>();

  constructor(definitions: Iterable<NodeDefinition> = NODE_FAMILIES.flat()) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: NodeDefinition): void {
    this.definitions.set(definition.classType, definition);
  }

  get(classType: unknown): NodeDefinition | undefined {
    return typeof classType === 'string' ? this.definitions.get(classType) : undefined;
  }

  all(): NodeDefinition[] {
    return [...this.definitions.values()];
  }
}

import type { NodeDefinition } from './types.js';
import { loaderNodes } from './loader-nodes.js';
import { conditioningNodes } from './conditioning-nodes.js';
import { latentNodes } from './latent-nodes.js';
import { samplingNodes } from './sampling-nodes.js';
import { imageNodes } from './image-nodes.js';
import { harnessNodes } from './harness-nodes.js';
import { modelLoaderNodes } from './model-loader-nodes.js';
import { modelPatchNodes } from './model-patch-nodes.js';
import { customSamplingNodes } from './custom-sampling-nodes.js';
import { upscaleNodes } from './upscale-nodes.js';
import { videoNodes } from './video-nodes.js';
import { videoHelperSuiteNodes } from './video-helper-suite-nodes.js';

/** Every node family the simulator knows; a new family is one more file added here. */
const NODE_FAMILIES: readonly (readonly NodeDefinition[])[] = [
  loaderNodes,
  conditioningNodes,
  latentNodes,
  samplingNodes,
  imageNodes,
  harnessNodes,
  modelLoaderNodes,
  modelPatchNodes,
  customSamplingNodes,
  upscaleNodes,
  videoNodes,
  videoHelperSuiteNodes,
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

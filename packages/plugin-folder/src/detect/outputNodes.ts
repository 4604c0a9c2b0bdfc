import type { ApiWorkflow } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { classInfo } from './inputSpecs.js';
import { LIKELY_OUTPUT_NAME, OTHER_OUTPUT_CLASSES, OUTPUT_CLASSES } from './nodeClasses.js';

/**
 * Whether ComfyUI treats the node as an output (without one it refuses the prompt). /object_info
 * says so exactly; without it, known save/preview classes and names that look like one count.
 */
export function isOutputNode(classType: string, objectInfo?: ObjectInfo): boolean {
  if (Object.hasOwn(OUTPUT_CLASSES, classType) || OTHER_OUTPUT_CLASSES.has(classType)) return true;
  const info = classInfo(objectInfo, classType);
  if (info) return info.output_node === true;
  return LIKELY_OUTPUT_NAME.test(classType);
}

export function outputNodeIds(
  graph: ApiWorkflow,
  order: readonly string[],
  objectInfo?: ObjectInfo,
): string[] {
  return order.filter((id) => {
    const node = graph[id];
    return node !== undefined && isOutputNode(node.class_type, objectInfo);
  });
}

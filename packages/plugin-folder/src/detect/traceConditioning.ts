import type { NodeLink } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import type { GraphIndex } from './GraphIndex.js';
import { classInfo, inputSpecOf } from './inputSpecs.js';
import { CONDITIONING_ROUTES, EMPTY_CONDITIONING, textInputsOf } from './nodeClasses.js';

export interface ConditioningSources {
  /** Text encoders the conditioning comes from, nearest first. */
  encoders: string[];
  /** The path went through a "zero out" node: an intentionally empty conditioning. */
  zeroed: boolean;
}

/**
 * Walks a sampler's `positive` (or `negative`) link back to the text encoders it comes from,
 * through guidance, combine, ControlNet and image-to-video nodes. Nodes with both a positive
 * and a negative output (ControlNetApplyAdvanced, WanImageToVideo …) are followed by output
 * index, so positive and negative are told apart by how they connect, never by titles.
 */
export function traceConditioning(
  index: GraphIndex,
  start: NodeLink | undefined,
  objectInfo?: ObjectInfo,
): ConditioningSources {
  const result: ConditioningSources = { encoders: [], zeroed: false };
  const seen = new Set<string>();
  const queue: NodeLink[] = start ? [start] : [];
  while (queue.length > 0) {
    const [id, output] = queue.shift() as NodeLink;
    const key = `${id}:${output}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const node = index.node(id);
    if (!node) continue;
    if (EMPTY_CONDITIONING.has(node.class_type)) {
      result.zeroed = true;
      continue;
    }
    const texts = textInputsOf(node.class_type, node.inputs);
    if (texts && texts.length > 0) {
      if (!result.encoders.includes(id)) result.encoders.push(id);
      continue;
    }
    for (const input of upstreamInputs(index, id, output, objectInfo)) {
      const link = index.link(id, input);
      if (link) queue.push(link);
    }
  }
  return result;
}

function upstreamInputs(
  index: GraphIndex,
  id: string,
  output: number,
  objectInfo?: ObjectInfo,
): readonly string[] {
  const node = index.node(id);
  if (!node) return [];
  const known = CONDITIONING_ROUTES[node.class_type];
  if (known) return known;
  const linked = index.linksInto(id).map((link) => link.input);
  // A node that turns a positive/negative pair into another pair: output 0 is the positive one.
  if (linked.includes('positive') && linked.includes('negative')) {
    const names = classInfo(objectInfo, node.class_type)?.output_name;
    const named = names?.[output];
    if (named === 'positive' || named === 'negative') return [named];
    return output === 0 ? ['positive'] : output === 1 ? ['negative'] : [];
  }
  if (classInfo(objectInfo, node.class_type)) {
    return linked.filter(
      (input) => inputSpecOf(objectInfo, node.class_type, input)?.[0] === 'CONDITIONING',
    );
  }
  return linked.filter((input) => /conditioning|^cond/i.test(input));
}

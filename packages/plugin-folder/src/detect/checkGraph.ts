import type { ObjectInfo } from '@comfyrelay/core/protocol';
import type { DetectOptions } from './WorkflowDetection.js';
import { checkCycles } from './checkCycles.js';
import { checkLinks } from './checkLinks.js';
import { checkNodeClasses } from './checkNodeClasses.js';
import type { GraphIndex } from './GraphIndex.js';
import { outputNodeIds } from './outputNodes.js';
import type { WorkflowProblem } from './WorkflowProblem.js';

/** Everything that would make ComfyUI refuse the graph, or that we can tell it will. */
export function checkGraph(
  index: GraphIndex,
  objectInfo?: ObjectInfo,
  objectInfoFrom: DetectOptions['objectInfoFrom'] = 'server',
): WorkflowProblem[] {
  const problems = [
    ...(objectInfo ? checkNodeClasses(index.graph, objectInfo, objectInfoFrom) : []),
    ...checkLinks(index.graph, objectInfo),
    ...checkCycles(index),
  ];
  if (outputNodeIds(index.graph, index.order, objectInfo).length === 0) {
    problems.push({
      code: 'no_output_node',
      severity: 'error',
      message:
        'the workflow has no output node (such as SaveImage, PreviewImage, SaveVideo or VHS_VideoCombine), so ComfyUI would refuse it; add a save node after the VAE Decode',
    });
  }
  return problems;
}

import { readApiWorkflowText } from '../read/readApiWorkflowText.js';
import { detectWorkflow } from './detectWorkflow.js';
import type { DetectOptions, WorkflowDetection } from './WorkflowDetection.js';

/** {@link detectWorkflow} on the text of a file: invalid JSON is one more problem. */
export function detectWorkflowJson(text: string, options: DetectOptions = {}): WorkflowDetection {
  const read = readApiWorkflowText(text);
  if (!read.ok)
    return { detected: [], missing: [], problems: read.problems, parameters: [], outputs: [] };
  return detectWorkflow(read.graph, options);
}

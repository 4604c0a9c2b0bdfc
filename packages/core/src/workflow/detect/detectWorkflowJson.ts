import { detectWorkflow } from './detectWorkflow.js';
import { parseWorkflowJson } from './parseWorkflowJson.js';
import type { DetectOptions, WorkflowDetection } from './WorkflowDetection.js';

/** {@link detectWorkflow} on the text of a file: invalid JSON is one more problem. */
export function detectWorkflowJson(text: string, options: DetectOptions = {}): WorkflowDetection {
  const parsed = parseWorkflowJson(text);
  if (parsed.data === undefined)
    return { detected: [], missing: [], problems: parsed.problems, parameters: [], outputs: [] };
  return detectWorkflow(parsed.data, options);
}

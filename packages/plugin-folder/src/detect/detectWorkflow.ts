import { readApiWorkflow } from '../read/readApiWorkflow.js';
import { checkGraph } from './checkGraph.js';
import { describeWorkflowKind } from './describeWorkflowKind.js';
import { detectOutputs } from './detectOutputs.js';
import { detectParameters } from './detectParameters.js';
import { findMissing } from './findMissing.js';
import { GraphIndex } from './GraphIndex.js';
import { readSamplers } from './readSamplers.js';
import {
  toDetectedBinding,
  type DetectOptions,
  type WorkflowDetection,
} from './WorkflowDetection.js';
import { hasErrors } from './WorkflowProblem.js';

/**
 * Turn an exported ComfyUI workflow ("Export (API)") into a {@link WorkflowDefinition}: check it
 * (against /object_info when given), find the common nodes and bind their literal inputs as
 * parameters, and its save nodes as outputs. `graph` may be anything read from a file: it is
 * checked, and every problem is reported in words, never thrown.
 */
export function detectWorkflow(graph: unknown, options: DetectOptions = {}): WorkflowDetection {
  try {
    const read = readApiWorkflow(graph);
    if (!read.ok)
      return { detected: [], missing: [], problems: read.problems, parameters: [], outputs: [] };
    const template = structuredClone(read.graph);
    const index = new GraphIndex(template);
    const problems = checkGraph(index, options.objectInfo, options.objectInfoFrom);
    const found = detectParameters(index, readSamplers(index), options.objectInfo);
    const parameters = found.map((parameter) => parameter.spec);
    const outputs = detectOutputs(index);
    const detection: WorkflowDetection = {
      detected: found.map((parameter) =>
        toDetectedBinding(parameter.spec, template, 'detected', parameter.note),
      ),
      missing: findMissing(template, parameters, outputs),
      problems,
      graph: template,
      parameters,
      outputs,
    };
    if (!hasErrors(problems)) {
      const kind = describeWorkflowKind(parameters, outputs);
      detection.definition = {
        id: options.id ?? 'custom.workflow',
        title: options.title ?? kind,
        description: options.description ?? `${kind} (an exported ComfyUI workflow)`,
        template,
        parameters,
        outputs,
      };
    }
    return detection;
  } catch (error) {
    // A workflow shaped in a way nobody foresaw must not take the bot down: report it instead.
    return {
      detected: [],
      missing: [],
      parameters: [],
      outputs: [],
      problems: [
        {
          code: 'check_failed',
          severity: 'error',
          message: `the workflow could not be checked: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
}

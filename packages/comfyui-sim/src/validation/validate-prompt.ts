import { isPlainObject, type ApiPrompt } from '../prompt.js';
import type { NodeRegistry } from '../nodes/registry.js';
import type { CatalogContext } from '../nodes/types.js';
import { InputValidator } from './input-validator.js';
import { pyStr } from './python-values.js';
import { VALIDATE_PROMPT_FRAME } from './tracebacks.js';
import {
  MalformedPromptError,
  PyException,
  type NodeErrors,
  type ValidationError,
  type ValidationOutcome,
} from './validation-types.js';

/**
 * ComfyUI's validate_prompt. Output nodes are validated one by one; a prompt with at least one good
 * output is accepted (its bad outputs reported in node_errors and dropped). Converted values
 * (e.g. "5" for an INT) are written back into the prompt, as ComfyUI does.
 */
export function validatePrompt(
  prompt: unknown,
  registry: NodeRegistry,
  catalog: CatalogContext,
  partialExecutionTargets?: unknown,
): ValidationOutcome {
  if (!isPlainObject(prompt)) throw new MalformedPromptError('prompt is not an object');
  const graph = prompt as ApiPrompt;
  const outputs: string[] = [];
  for (const [id, node] of Object.entries(graph)) {
    if (!isPlainObject(node)) throw new MalformedPromptError(`node ${id} is not an object`);
    if (!('class_type' in node)) {
      return rejected(
        invalidPrompt('Cannot execute because a node is missing the class_type property.', id),
      );
    }
    const definition = registry.get(node.class_type);
    if (!definition) {
      return rejected(
        invalidPrompt(`Cannot execute because node ${pyStr(node.class_type)} does not exist.`, id),
      );
    }
    const targeted =
      !Array.isArray(partialExecutionTargets) || partialExecutionTargets.includes(id);
    if (definition.outputNode && targeted) outputs.push(id);
  }
  if (outputs.length === 0) {
    return rejected({
      type: 'prompt_no_outputs',
      message: 'Prompt has no outputs',
      details: '',
      extra_info: {},
    });
  }

  const validator = new InputValidator(graph, registry, catalog);
  const goodOutputs: string[] = [];
  const failures: { output: string; reasons: ValidationError[] }[] = [];
  const nodeErrors: NodeErrors = {};
  for (const output of outputs) {
    const { valid, reasons } = validateOutput(validator, output);
    if (valid) {
      goodOutputs.push(output);
      continue;
    }
    failures.push({ output, reasons });
    // Every failed node validated so far is blamed on this output too (ComfyUI's own bookkeeping).
    for (const [nodeId, result] of validator.validated) {
      if (result.valid || result.reasons.length === 0) continue;
      nodeErrors[nodeId] ??= {
        errors: result.reasons,
        dependent_outputs: [],
        class_type: graph[nodeId]?.class_type,
      };
      nodeErrors[nodeId].dependent_outputs.push(output);
    }
  }
  if (goodOutputs.length === 0) {
    const details = failures
      .flatMap((f) => f.reasons.map((r) => `${r.message}: ${r.details}`))
      .join('\n');
    return {
      valid: false,
      error: {
        type: 'prompt_outputs_failed_validation',
        message: 'Prompt outputs failed validation',
        details,
        extra_info: {},
      },
      nodeErrors,
    };
  }
  return { valid: true, outputs: goodOutputs, nodeErrors };
}

function validateOutput(
  validator: InputValidator,
  output: string,
): { valid: boolean; reasons: ValidationError[] } {
  try {
    return validator.validate(output);
  } catch (error) {
    if (!(error instanceof PyException)) throw error;
    const reasons: ValidationError[] = [
      {
        type: 'exception_during_validation',
        message: 'Exception when validating node',
        details: error.pyMessage,
        extra_info: {
          exception_type: error.pyType,
          traceback: [VALIDATE_PROMPT_FRAME, ...error.traceback],
        },
      },
    ];
    validator.validated.set(output, { valid: false, reasons });
    return { valid: false, reasons };
  }
}

function invalidPrompt(message: string, nodeId: string): ValidationError {
  return { type: 'invalid_prompt', message, details: `Node ID '#${nodeId}'`, extra_info: {} };
}

function rejected(error: ValidationError): ValidationOutcome {
  return { valid: false, error, nodeErrors: {} };
}

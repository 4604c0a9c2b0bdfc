import { ComfyRelayError } from '../errors.js';
import type { ComfyErrorDetail, PromptErrorBody } from '../protocol/rest.js';

/** One problem ComfyUI found in a submitted workflow. */
export interface ValidationIssue {
  nodeId?: string;
  classType?: string;
  input?: string;
  type: string;
  /** A sentence a user can read. */
  message: string;
}

/** ComfyUI refused a workflow (HTTP 400 from `POST /prompt`). The message says which node, which input and why. */
export class PromptValidationError extends ComfyRelayError {
  readonly issues: ValidationIssue[];

  constructor(readonly body: PromptErrorBody) {
    const issues = describeValidationErrors(body);
    super(`ComfyUI refused the workflow: ${issues.map((issue) => issue.message).join('; ')}`);
    this.issues = issues;
  }
}

export function describeValidationErrors(body: PromptErrorBody): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [nodeId, entry] of Object.entries(body.node_errors ?? {})) {
    for (const error of entry.errors) {
      const input = inputNameOf(error);
      const where = `node ${nodeId} (${entry.class_type})${input ? ` input "${input}"` : ''}`;
      issues.push({
        nodeId,
        classType: entry.class_type,
        ...(input ? { input } : {}),
        type: error.type,
        message: `${where}: ${explain(error)}`,
      });
    }
  }
  if (issues.length === 0) {
    const error = body.error;
    const detail = error.details && error.details !== error.message ? ` (${error.details})` : '';
    issues.push({ type: error.type, message: `${error.message}${detail}` });
  }
  return issues;
}

function inputNameOf(error: ComfyErrorDetail): string | undefined {
  const name = error.extra_info?.['input_name'];
  return typeof name === 'string' ? name : undefined;
}

function explain(error: ComfyErrorDetail): string {
  const info = error.extra_info ?? {};
  const received = info['received_value'];
  const config = Array.isArray(info['input_config'])
    ? (info['input_config'][1] as Record<string, unknown> | undefined)
    : undefined;
  switch (error.type) {
    case 'required_input_missing':
      return 'a required input is missing';
    case 'value_bigger_than_max':
      return `${String(received)} is bigger than the maximum ${String(config?.['max'] ?? '')}`.trim();
    case 'value_smaller_than_min':
      return `${String(received)} is smaller than the minimum ${String(config?.['min'] ?? '')}`.trim();
    case 'invalid_input_type':
      return `${JSON.stringify(received)} is not a valid ${String((info['input_config'] as unknown[] | undefined)?.[0] ?? 'value')}`;
    case 'value_not_in_list':
      return error.details
        ? `not one of the allowed values (${error.details})`
        : 'not one of the allowed values';
    case 'exception_during_validation':
      return `it links to a node that does not exist (${error.details})`;
    default:
      return error.details ? `${error.message} (${error.details})` : error.message;
  }
}

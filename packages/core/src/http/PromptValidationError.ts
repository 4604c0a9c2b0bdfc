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

/** At most this many issues are spelt out in the error's message (all are in `issues`, up to {@link MAX_ISSUES}). */
const ISSUES_IN_MESSAGE = 10;
const MAX_ISSUES = 200;
/** Words taken from ComfyUI's answer are cut to this many characters. */
const MAX_WORDS = 300;

/** ComfyUI refused a workflow (HTTP 400 from `POST /prompt`). The message says which node, which input and why. */
export class PromptValidationError extends ComfyRelayError {
  readonly issues: ValidationIssue[];

  constructor(readonly body: PromptErrorBody) {
    const issues = describeValidationErrors(body);
    const shown = issues.slice(0, ISSUES_IN_MESSAGE).map((issue) => issue.message);
    if (issues.length > ISSUES_IN_MESSAGE)
      shown.push(`and ${issues.length - ISSUES_IN_MESSAGE} more`);
    super(`ComfyUI refused the workflow: ${shown.join('; ')}`);
    this.issues = issues;
  }
}

/**
 * The problems a refusal names, in words. The body is read defensively (it is whatever the
 * server sent): a node entry or an error that is not what ComfyUI writes is skipped, and there
 * is always at least one issue.
 */
export function describeValidationErrors(body: PromptErrorBody): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const nodeErrors: unknown = isRecord(body) ? body.node_errors : undefined;
  if (isRecord(nodeErrors))
    for (const [nodeId, entry] of Object.entries(nodeErrors)) {
      if (!isRecord(entry) || !Array.isArray(entry['errors'])) continue;
      const classType = words(entry['class_type']) || 'unknown node';
      const node = words(nodeId);
      for (const item of entry['errors']) {
        if (issues.length >= MAX_ISSUES) break;
        const error = detailOf(item);
        if (!error) continue;
        const input = inputNameOf(error);
        const where = `node ${node} (${classType})${input ? ` input "${input}"` : ''}`;
        issues.push({
          nodeId: node,
          classType,
          ...(input ? { input } : {}),
          type: error.type,
          message: `${where}: ${explain(error)}`,
        });
      }
    }
  if (issues.length === 0) {
    const error = detailOf(isRecord(body) ? body.error : undefined) ?? {
      type: 'invalid_prompt',
      message: '',
      details: '',
    };
    const message = error.message || 'the workflow is not valid (no reason was given)';
    const detail = error.details && error.details !== error.message ? ` (${error.details})` : '';
    issues.push({ type: error.type || 'invalid_prompt', message: `${message}${detail}` });
  }
  return issues;
}

/** One error of ComfyUI's answer with its text fields as (short) strings; undefined when it is no error. */
function detailOf(value: unknown): ComfyErrorDetail | undefined {
  if (!isRecord(value)) return undefined;
  const extra = value['extra_info'];
  return {
    type: words(value['type']),
    message: words(value['message']),
    details: words(value['details']),
    ...(isRecord(extra) ? { extra_info: extra } : {}),
  };
}

function inputNameOf(error: ComfyErrorDetail): string | undefined {
  const name = error.extra_info?.['input_name'];
  return typeof name === 'string' && name ? words(name) : undefined;
}

function explain(error: ComfyErrorDetail): string {
  const info = error.extra_info ?? {};
  const received = info['received_value'];
  const inputConfig = info['input_config'];
  const config =
    Array.isArray(inputConfig) && isRecord(inputConfig[1]) ? inputConfig[1] : undefined;
  switch (error.type) {
    case 'required_input_missing':
      return 'a required input is missing';
    case 'value_bigger_than_max':
      return `${shown(received)} is bigger than the maximum ${shown(config?.['max'] ?? '')}`.trim();
    case 'value_smaller_than_min':
      return `${shown(received)} is smaller than the minimum ${shown(config?.['min'] ?? '')}`.trim();
    case 'invalid_input_type':
      return `${json(received)} is not a valid ${Array.isArray(inputConfig) ? shown(inputConfig[0] ?? 'value') : 'value'}`;
    case 'value_not_in_list':
      return error.details
        ? `not one of the allowed values (${error.details})`
        : 'not one of the allowed values';
    case 'exception_during_validation':
      return `it links to a node that does not exist (${error.details})`;
    default:
      if (!error.message) return error.details || 'it is not valid (no reason was given)';
      return error.details ? `${error.message} (${error.details})` : error.message;
  }
}

/** A value from the answer as short words (objects as JSON, never "[object Object]"). */
function shown(value: unknown): string {
  if (value === undefined) return 'the value given';
  return typeof value === 'object' && value !== null ? json(value) : words(String(value));
}

function json(value: unknown): string {
  if (value === undefined) return 'the value given';
  try {
    return words(JSON.stringify(value) ?? String(value));
  } catch {
    // Too deep or circular: not something to show anyway.
    return 'the value given';
  }
}

function words(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  return text.length > MAX_WORDS ? `${text.slice(0, MAX_WORDS - 1)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import {
  ComfyUnreachableError,
  NoBackendAvailableError,
  NotFoundError,
  ParameterError,
  PromptValidationError,
  type GenerationFailure,
} from '@comfyrelay/core';
import { ArgumentError } from '../arguments/ArgumentError.js';
import type { ChatFailure, ChatFailureCode } from './ChatFailure.js';

/**
 * A failed generation (`failed` event, `record.error`) or an error a request threw, as a
 * {@link ChatFailure}. Limit errors are recognised by shape (`code: 'limits'` or a name ending in
 * `LimitError`) so core's coming limits slot in without a change here.
 */
export function chatFailureOf(problem: GenerationFailure | unknown): ChatFailure {
  if (isGenerationFailure(problem)) return fromGenerationFailure(problem);
  const error = problem instanceof Error ? problem : new Error(String(problem));
  const generationId = (error as { generationId?: unknown }).generationId;
  const base = {
    reason: error.message,
    cause: problem,
    ...(typeof generationId === 'string' ? { generationId } : {}),
  };
  return { code: codeOfError(error), ...base, ...limitDetails(error) };
}

function codeOfError(error: Error): ChatFailureCode {
  if (error instanceof ArgumentError) return 'arguments';
  if (error instanceof ParameterError) return 'validation';
  if (error instanceof PromptValidationError) return 'refused';
  if (error instanceof NoBackendAvailableError) return 'unavailable';
  if (error instanceof ComfyUnreachableError) return 'unreachable';
  if (error instanceof NotFoundError) return 'not-found';
  if (isLimitError(error)) return 'limits';
  return 'internal';
}

function isLimitError(error: Error): boolean {
  return (error as { code?: unknown }).code === 'limits' || /LimitError$/.test(error.name);
}

function limitDetails(error: Error): { retryAfterMs?: number } {
  const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof retryAfterMs === 'number' && retryAfterMs > 0 ? { retryAfterMs } : {};
}

function fromGenerationFailure(failure: GenerationFailure): ChatFailure {
  const where = {
    ...(failure.node !== undefined ? { node: failure.node } : {}),
    ...(failure.nodeClass !== undefined ? { nodeClass: failure.nodeClass } : {}),
  };
  const code: ChatFailureCode = failure.code === 'validation' ? 'refused' : failure.code;
  return { code, reason: failure.message, ...where };
}

function isGenerationFailure(value: unknown): value is GenerationFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as GenerationFailure).code === 'string' &&
    typeof (value as GenerationFailure).message === 'string'
  );
}

import {
  ComfyRelayError,
  ComfyUnreachableError,
  LimitError,
  NoBackendAvailableError,
  NotFoundError,
  ParameterError,
  PromptValidationError,
  ShuttingDownError,
} from '@comfyrelay/core';
import { RequestProblem } from './readGenerationRequest.js';

export interface ErrorBody {
  error: string;
  message: string;
  /** Every parameter problem, each in words (the form shows them beside their fields). */
  problems?: { parameter: string; message: string }[];
  retryAfterMs?: number;
}

/** What a launch refused during a graceful stop is told: core's words say "in a minute". */
const SHUTDOWN_RETRY_MS = 60_000;

/** The status and words for an error a request ran into. Unknown errors say nothing inside. */
export function errorResponse(error: unknown): {
  status: 400 | 404 | 422 | 429 | 500 | 503;
  body: ErrorBody;
} {
  if (error instanceof RequestProblem)
    return { status: 400, body: { error: 'bad-request', message: error.message } };
  if (error instanceof ParameterError)
    return {
      status: 422,
      body: { error: 'invalid-parameters', message: error.message, problems: error.problems },
    };
  if (error instanceof LimitError)
    return {
      status: 429,
      body: {
        error: error.code,
        message: error.message,
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      },
    };
  if (error instanceof NotFoundError)
    return { status: 404, body: { error: 'not-found', message: error.message } };
  if (error instanceof ShuttingDownError)
    return {
      status: 503,
      body: { error: 'shutting-down', message: error.message, retryAfterMs: SHUTDOWN_RETRY_MS },
    };
  if (error instanceof NoBackendAvailableError || error instanceof ComfyUnreachableError)
    return { status: 503, body: { error: 'unavailable', message: error.message } };
  if (error instanceof PromptValidationError)
    return { status: 422, body: { error: 'refused-by-comfyui', message: error.message } };
  if (error instanceof ComfyRelayError)
    return { status: 422, body: { error: 'refused', message: error.message } };
  return {
    status: 500,
    body: { error: 'internal', message: 'Something went wrong inside the console; see its log.' },
  };
}

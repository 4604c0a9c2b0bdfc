import type { ResponseParameters } from '../types.js';

/** A Bot API error answer: `{ ok: false, error_code, description, parameters? }`. */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = 'ApiError';
  }
}

/** 400 with Telegram's "Bad Request: " prefix. */
export function badRequest(reason: string): ApiError {
  return new ApiError(400, `Bad Request: ${reason}`);
}

export function tooManyRequests(retryAfterS: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfterS}`, {
    retry_after: retryAfterS,
  });
}

export function conflict(reason: string): ApiError {
  return new ApiError(409, `Conflict: ${reason}`);
}

export const NOT_FOUND = (): ApiError => new ApiError(404, 'Not Found');
export const ENTITY_TOO_LARGE = (): ApiError => new ApiError(413, 'Request Entity Too Large');

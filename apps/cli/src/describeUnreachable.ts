import { ComfyHttpError, ComfyUnreachableError } from '@comfyrelay/core';

const reasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing is listening there)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'the connection timed out',
};

/** Why a ComfyUI server could not be used, in words ("connection refused …"), from core's typed errors. */
export function describeUnreachable(error: unknown): string {
  if (error instanceof ComfyUnreachableError) {
    if (error.reason === 'timeout') return 'it did not answer in time';
    const code = errnoCodeOf(error.cause);
    if (code) return reasons[code] ?? `network error ${code}`;
    const detail = innermostMessage(error.cause);
    return detail ? `network error (${detail})` : 'network error';
  }
  if (error instanceof ComfyHttpError)
    return `it answered HTTP ${error.status} to ${error.route} (is this a ComfyUI server?)`;
  if (error instanceof SyntaxError)
    return 'it did not answer with JSON (is this a ComfyUI server?)';
  return error instanceof Error ? error.message : String(error);
}

/** Answers of a server that is starting or restarting: worth waiting for. */
const startingCodes = new Set(['ECONNREFUSED', 'ECONNRESET']);

export function isStarting(error: unknown): boolean {
  if (error instanceof ComfyUnreachableError)
    return error.reason === 'timeout' || startingCodes.has(errnoCodeOf(error.cause) ?? '');
  return error instanceof ComfyHttpError && [502, 503, 504].includes(error.status);
}

/** fetch() refuses some URLs itself ("bad port"): the reason is the last message of the chain. */
function innermostMessage(error: unknown): string | undefined {
  let message: string | undefined;
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}

/** fetch() hides the socket error a level or two down its `cause` chain. */
function errnoCodeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current === 'object' && 'code' in current && typeof current.code === 'string')
      return current.code;
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

/**
 * Why a request did not give a result, as chat tells it: core's failure codes, the errors a
 * request can throw before it runs, and what chat itself can refuse.
 */
export type ChatFailureCode =
  | 'arguments'
  | 'validation'
  | 'refused'
  | 'limits'
  | 'unavailable'
  | 'unreachable'
  | 'deadline'
  | 'cancelled'
  | 'interrupted'
  | 'execution'
  | 'lost'
  | 'no-outputs'
  | 'not-found'
  | 'too-large'
  | 'internal';

export interface ChatFailure {
  code: ChatFailureCode;
  /** What happened, as core or the error said it: for the log, shown only once made safe. */
  reason: string;
  node?: string;
  nodeClass?: string;
  /** For limits: when trying again makes sense. */
  retryAfterMs?: number;
  generationId?: string;
  cause?: unknown;
}

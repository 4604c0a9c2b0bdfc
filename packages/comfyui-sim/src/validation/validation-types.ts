/** An error entry as ComfyUI reports it, at the top level or per node. */
export interface ValidationError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

export interface NodeErrorEntry {
  errors: ValidationError[];
  dependent_outputs: string[];
  class_type: unknown;
}

export type NodeErrors = Record<string, NodeErrorEntry>;

export type ValidationOutcome =
  | { valid: true; outputs: string[]; nodeErrors: NodeErrors }
  | { valid: false; error: ValidationError; nodeErrors: NodeErrors };

/** The prompt is not even a graph of objects: ComfyUI crashes on it (500). */
export class MalformedPromptError extends Error {}

/** A Python exception raised inside validation (KeyError for a link to a missing node…). */
export class PyException extends Error {
  constructor(
    readonly pyType: string,
    readonly pyMessage: string,
    readonly traceback: string[],
  ) {
    super(`${pyType}: ${pyMessage}`);
  }
}

import { ComfyRelayError } from '../errors.js';

export interface ParameterProblem {
  parameter: string;
  message: string;
}

/** Parameters were refused before anything was sent to ComfyUI. */
export class ParameterError extends ComfyRelayError {
  constructor(readonly problems: ParameterProblem[]) {
    super(problems.map((problem) => problem.message).join('; '));
  }
}

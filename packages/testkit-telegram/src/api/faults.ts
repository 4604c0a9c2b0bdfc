import type { ResponseParameters } from '../types.js';
import { ApiError } from './api-error.js';

export interface InjectedError {
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

/** One-shot errors a test queues per method (case-insensitive), answered in FIFO order. */
export class Faults {
  private readonly queued = new Map<string, InjectedError[]>();

  failNext(method: string, error: InjectedError): void {
    const key = method.toLowerCase();
    this.queued.set(key, [...(this.queued.get(key) ?? []), error]);
  }

  take(method: string): ApiError | undefined {
    const error = this.queued.get(method.toLowerCase())?.shift();
    return error && new ApiError(error.error_code, error.description, error.parameters);
  }
}

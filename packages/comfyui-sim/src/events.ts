import type { ApiPrompt } from './prompt.js';

export type ExecutionEndStatus = 'success' | 'error' | 'interrupted';

/** Events a test can wait on instead of sleeping. */
export interface SimulatorEvents {
  /** `prompt` is the graph as the server received it (tests check what a client rendered). */
  'prompt-queued': { promptId: string; number: number; prompt: ApiPrompt };
  'execution-start': { promptId: string };
  step: { promptId: string; node: string; value: number; max: number };
  'execution-end': { promptId: string; status: ExecutionEndStatus };
  'ws-open': { clientId: string };
  'ws-close': { clientId: string };
  /** `path` is the request path as sent (with any /api prefix); status 0 = connection destroyed. */
  http: { method: string; path: string; status: number };
}

/**
 * `@comfyrelay/core/protocol`: protocol-level tools for operators' tooling, test kits and
 * benchmarks — ComfyUI's HTTP API, message shapes, the binary frame decoder and the queue
 * reader. Frontends and plugins don't need this tier: `@comfyrelay/core` has what they use.
 */
export * from './protocol/index.js';
export {
  ComfyHttpClient,
  type ComfyHttpClientOptions,
  type SubmitPromptRequest,
} from './http/ComfyHttpClient.js';
export { describeValidationErrors, type ValidationIssue } from './http/PromptValidationError.js';
export { decodeBinaryFrame, type BinaryFrame } from './connection/decodeBinaryFrame.js';
export { readQueue, type QueueView } from './backend/QueueTracker.js';
export { submitGraph, type RawSubmitOptions } from './internal/launchers.js';
export { collectOutputs, mimeOf } from './backend/collectOutputs.js';
export { choicesIn } from './workflow/liveChoices.js';

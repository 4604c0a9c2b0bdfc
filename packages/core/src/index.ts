import 'reflect-metadata';

/*
 * @comfyrelay/core, tiered by audience: a frontend author reads the first part and stops; a
 * plugin author reads the second; set-up and building blocks follow. Protocol-level tools live
 * in `@comfyrelay/core/protocol`. Nothing else is public: the engine's parts stay inside.
 */

// ── For frontends (Discord, Telegram, the CLI, dashboards) ──────────────────────────────────
export {
  ADMIN_ROLE,
  ComfyRelay,
  type ActionOptions,
  type BackendStatus,
  type GenerateOptions,
  type RelaySnapshot,
  type RelaySubscribeOptions,
} from './ComfyRelay.js';
export type { GenerationHandle } from './generation/GenerationHandle.js';
export {
  encodeRelayEvent,
  relayCoalesceKey,
  relayTopicsOf,
  type GenerationEvent,
  type QueuePosition,
  type RelayEvent,
} from './events.js';
export {
  terminalStatuses,
  type FailureCode,
  type GenerationFailure,
  type GenerationOrigin,
  type GenerationOutput,
  type GenerationRecord,
  type GenerationStatus,
  type StoredGeneration,
} from './generation/GenerationState.js';
export type { Progress } from './progress/Progress.js';
export type { SystemStats } from './protocol/rest.js';
export {
  ComfyHttpError,
  ComfyRelayError,
  ComfyUnreachableError,
  NoBackendAvailableError,
  NotFoundError,
  ShuttingDownError,
} from './errors.js';
export { PromptValidationError, type ValidationIssue } from './http/PromptValidationError.js';
export { ParameterError, type ParameterProblem } from './workflow/ParameterError.js';
export { LimitError, type LimitCode } from './scheduling/Limits.js';
export { closestMatches, didYouMean } from './text/closestMatches.js';
export {
  coerceParameterValue,
  MAX_SEED,
  type CoercedValue,
} from './workflow/validateParameters.js';
export { liveSource } from './workflow/liveChoices.js';
export type { ObjectInfo } from './protocol/rest.js';

// ── For plugin authors: the workflow contract, progress interpreters, templates ──────────────
export type { Plugin, PluginRegistrar } from './plugins/Plugin.js';
export { PluginHost } from './plugins/PluginHost.js';
export { collectWorkflows } from './plugins/collectWorkflows.js';
export type * from './workflow/WorkflowDefinition.js';
export { isImageInput } from './workflow/WorkflowDefinition.js';
export { validateParameters, type ChoiceResolver } from './workflow/validateParameters.js';
export { buildGraph, renderWorkflow } from './workflow/renderWorkflow.js';
export { createTemplateLoader } from './workflow/createTemplateLoader.js';
export type { ProgressInterpreter, ProgressTracker } from './progress/Progress.js';
export {
  StepWeightedInterpreter,
  type StepWeightedOptions,
} from './progress/StepWeightedInterpreter.js';
export { isSamplingClass, phaseOf } from './progress/phaseOf.js';
export {
  isNodeLink,
  type ApiNode,
  type ApiWorkflow,
  type NodeInputValue,
  type NodeLink,
} from './protocol/graph.js';
export type { FileRef, NodeOutput, PreviewImage, PromptMessage } from './protocol/messages.js';

// ── Setting up: configuration, dependency injection, logging, storage ───────────────────────
export {
  backendsFromEnv,
  type BackendAuth,
  type BackendConfig,
  type RelayConfig,
} from './RelayConfig.js';
export {
  createRelay,
  createRelayContainer,
  startRelay,
  type RelayContainerOptions,
} from './di/createRelayContainer.js';
export * from './di/tokens.js';
export type { Frontend } from './di/Frontend.js';
export { createConsoleLogger, silentLogger, type Logger, type LogLevel } from './util/Logger.js';
export {
  InMemoryGenerationStore,
  type GenerationStore,
  type ListOptions,
} from './generation/GenerationStore.js';

// ── Building blocks for frontends with fan-out of their own ─────────────────────────────────
export {
  Broadcaster,
  DEFAULT_QUEUE_LIMIT,
  DEFAULT_SEND_TIMEOUT_MS,
  type BroadcasterOptions,
  type BroadcastSink,
  type DropCode,
  type DropReason,
  type Subscription,
  type SubscriptionOptions,
} from './broadcast/index.js';
export { delay } from './util/delay.js';

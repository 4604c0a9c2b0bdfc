import 'reflect-metadata';

export { ComfyRelay, type SubmitOptions, type RelaySnapshot } from './ComfyRelay.js';
export { backendsFromEnv, type BackendConfig, type RelayConfig } from './RelayConfig.js';
export {
  createRelayContainer,
  startRelay,
  type RelayContainerOptions,
} from './di/createRelayContainer.js';
export { LoggerToken, PluginsToken, RelayConfigToken } from './di/tokens.js';

export * from './protocol/index.js';
export * from './errors.js';
export {
  ComfyHttpClient,
  type ComfyHttpClientOptions,
  type SubmitPromptRequest,
} from './http/ComfyHttpClient.js';
export {
  PromptValidationError,
  describeValidationErrors,
  type ValidationIssue,
} from './http/PromptValidationError.js';
export {
  ComfyConnection,
  type ComfyConnectionOptions,
  type ConnectionState,
  type ConnectionStateChange,
} from './connection/ComfyConnection.js';
export { Backoff, type BackoffOptions } from './connection/Backoff.js';
export { decodeBinaryFrame, type BinaryFrame } from './connection/decodeBinaryFrame.js';
export { PromptRouter, type PromptSink, type PromptRouterOptions } from './router/PromptRouter.js';
export { ComfyBackend, type ComfyBackendOptions } from './backend/ComfyBackend.js';
export { BackendPool } from './backend/BackendPool.js';
export { QueueTracker, readQueue, type QueueView } from './backend/QueueTracker.js';
export { collectOutputs, mimeOf } from './backend/collectOutputs.js';

export { Generation, type GenerationHooks, type GenerationInit } from './generation/Generation.js';
export * from './generation/GenerationState.js';
export { GenerationRegistry } from './generation/GenerationRegistry.js';
export { InMemoryGenerationStore, type GenerationStore } from './generation/GenerationStore.js';

export {
  relayCoalesceKey,
  encodeRelayEvent,
  type RelayEvent,
  type GenerationEvent,
} from './events.js';
export * from './broadcast/index.js';
export * from './events/index.js';

export type { Progress, ProgressInterpreter, ProgressTracker } from './progress/Progress.js';
export {
  StepWeightedInterpreter,
  type StepWeightedOptions,
} from './progress/StepWeightedInterpreter.js';
export { phaseOf, isSamplingClass } from './progress/phaseOf.js';

export type { Plugin, PluginRegistrar } from './plugins/Plugin.js';
export { PluginHost } from './plugins/PluginHost.js';
export type * from './workflow/WorkflowDefinition.js';
export { isImageInput } from './workflow/WorkflowDefinition.js';
export { ParameterError, type ParameterProblem } from './workflow/ParameterError.js';
export {
  validateParameters,
  MAX_SEED,
  type ParameterValue,
  type ParameterValues,
  type ChoiceResolver,
} from './workflow/validateParameters.js';
export { buildGraph, renderWorkflow } from './workflow/renderWorkflow.js';
export { createTemplateLoader } from './workflow/createTemplateLoader.js';
export { choicesIn, liveChoiceResolver, liveSource } from './workflow/liveChoices.js';

export { createConsoleLogger, silentLogger, type Logger, type LogLevel } from './util/Logger.js';
export { delay } from './util/delay.js';

export { detectWorkflow } from './workflow/detect/detectWorkflow.js';
export { detectWorkflowJson } from './workflow/detect/detectWorkflowJson.js';
export type {
  DetectedBinding,
  DetectOptions,
  WorkflowDetection,
} from './workflow/detect/WorkflowDetection.js';
export {
  hasErrors,
  type WorkflowProblem,
  type WorkflowProblemCode,
} from './workflow/detect/WorkflowProblem.js';
export type { WorkflowManifest, ManifestParameter } from './workflow/folder/WorkflowManifest.js';
export {
  checkWorkflowFile,
  MANIFEST_SUFFIX,
  type WorkflowFileReport,
} from './workflow/folder/checkWorkflowFile.js';
export {
  loadWorkflowFolder,
  type FolderLoadResult,
  type WorkflowLoadFailure,
} from './workflow/folder/loadWorkflowFolder.js';
export {
  createFolderWorkflowsPlugin,
  type FolderWorkflowsPlugin,
  type FolderWorkflowsPluginOptions,
} from './workflow/folder/createFolderWorkflowsPlugin.js';

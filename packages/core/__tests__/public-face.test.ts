import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ComfyRelay } from '../src/ComfyRelay.js';

const reports = new Map<string, string[]>();

/** Every name a module exports, types included, as the compiler sees it. */
function exportedNames(entry: string): string[] {
  let names = reports.get(entry);
  if (!names) reports.set(entry, (names = readExports(entry)));
  return names;
}

function readExports(entry: string): string[] {
  const file = fileURLToPath(new URL(`../src/${entry}`, import.meta.url));
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`cannot read ${entry}`);
  return checker
    .getExportsOfModule(symbol)
    .map((exported) => exported.getName())
    .sort();
}

// The API report: a change here is a change of the package's contract, reviewed as such.
describe("core's public face cannot grow by accident", () => {
  it('@comfyrelay/core exports exactly these names', () => {
    expect(exportedNames('index.ts')).toEqual(
      [
        'ActionOptions',
        'ADMIN_ROLE',
        'ApiNode',
        'ApiWorkflow',
        'BackendAuth',
        'BackendConfig',
        'BackendPoolToken',
        'BackendStatus',
        'Broadcaster',
        'BroadcasterOptions',
        'BroadcastSink',
        'buildGraph',
        'closestMatches',
        'ChoiceResolver',
        'ClientIdToken',
        'coerceParameterValue',
        'CoercedValue',
        'collectWorkflows',
        'ComfyHttpError',
        'ComfyRelay',
        'ComfyRelayError',
        'ComfyUnreachableError',
        'createConsoleLogger',
        'didYouMean',
        'createRelay',
        'createRelayContainer',
        'createTemplateLoader',
        'DEFAULT_QUEUE_LIMIT',
        'DEFAULT_SEND_TIMEOUT_MS',
        'delay',
        'DropCode',
        'DropReason',
        'encodeRelayEvent',
        'FailureCode',
        'FileRef',
        'FollowUpAction',
        'FollowUpContext',
        'Frontend',
        'FrontendToken',
        'GenerateOptions',
        'GenerationEvent',
        'GenerationFailure',
        'GenerationHandle',
        'GenerationOrigin',
        'GenerationOutput',
        'GenerationRecord',
        'GenerationStatus',
        'GenerationStore',
        'GenerationStoreToken',
        'ImageInput',
        'InMemoryGenerationStore',
        'isImageInput',
        'isNodeLink',
        'isSamplingClass',
        'liveSource',
        'Logger',
        'LimitCode',
        'LimitError',
        'ListOptions',
        'LoggerToken',
        'LogLevel',
        'MAX_SEED',
        'NoBackendAvailableError',
        'NodeInputValue',
        'NodeLink',
        'NodeOutput',
        'NotFoundError',
        'ObjectInfo',
        'ObjectInfoChoices',
        'OutputKind',
        'OutputSpec',
        'ParameterBinding',
        'ParameterError',
        'ParameterProblem',
        'ParameterSpec',
        'ParameterType',
        'ParameterValue',
        'ParameterValues',
        'phaseOf',
        'Plugin',
        'PluginHost',
        'PluginHostToken',
        'PluginRegistrar',
        'PluginsToken',
        'PreviewImage',
        'Progress',
        'ProgressInterpreter',
        'ProgressTracker',
        'PromptMessage',
        'PromptValidationError',
        'QueuePosition',
        'RelayConfig',
        'RelayConfigToken',
        'RelayContainerOptions',
        'RelayEvent',
        'RelayEventsToken',
        'RelaySnapshot',
        'RelaySubscribeOptions',
        'backendsFromEnv',
        'relayCoalesceKey',
        'relayTopicsOf',
        'renderWorkflow',
        'silentLogger',
        'startRelay',
        'StepWeightedInterpreter',
        'StepWeightedOptions',
        'ShuttingDownError',
        'StoredGeneration',
        'Subscription',
        'SystemStats',
        'SubscriptionOptions',
        'terminalStatuses',
        'validateParameters',
        'ValidationIssue',
        'WorkflowDefinition',
      ].sort(),
    );
  });

  it('@comfyrelay/core/protocol holds the protocol-level tools', () => {
    const names = exportedNames('advanced.ts');
    expect(names).toEqual(
      expect.arrayContaining([
        'ComfyHttpClient',
        'decodeBinaryFrame',
        'readQueue',
        'submitGraph',
        'choicesIn',
        'collectOutputs',
        'ObjectInfo',
        'HistoryEntry',
        'ComfyMessage',
      ]),
    );
    // The engine's parts are in neither face.
    for (const internal of [
      'ComfyBackend',
      'PromptRouter',
      'ComfyConnection',
      'QueueTracker',
      'Backoff',
      'GenerationRegistry',
      'Generation',
      'TrackedPrompt',
      'LivenessMonitor',
    ])
      expect([...names, ...exportedNames('index.ts')]).not.toContain(internal);
  });

  it('ComfyRelay offers methods, never its parts', () => {
    expectTypeOf<keyof ComfyRelay>().toEqualTypeOf<
      | 'clientId'
      | 'start'
      | 'ready'
      | 'stop'
      | 'drain'
      | 'use'
      | 'workflows'
      | 'workflow'
      | 'pluginOf'
      | 'choicesFor'
      | 'objectInfo'
      | 'systemStats'
      | 'validate'
      | 'generate'
      | 'runAction'
      | 'cancel'
      | 'handle'
      | 'record'
      | 'active'
      | 'history'
      | 'subscribe'
      | 'readOutput'
      | 'outputSize'
      | 'streamOutput'
      | 'backends'
      | 'snapshot'
      | 'subscriberDrops'
      | 'encodeEvent'
    >();
  });
});

import { randomUUID } from 'node:crypto';
import type { BackendPool } from '../backend/BackendPool.js';
import type { ComfyBackend } from '../backend/ComfyBackend.js';
import type { TrackedPrompt } from '../backend/TrackedPrompt.js';
import type { Broadcaster } from '../broadcast/Broadcaster.js';
import { ComfyRelayError, ComfyUnreachableError } from '../errors.js';
import type { RelayEvent } from '../events.js';
import { PromptValidationError } from '../http/PromptValidationError.js';
import type { ProgressInterpreter } from '../progress/Progress.js';
import { StepWeightedInterpreter } from '../progress/StepWeightedInterpreter.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import type { KeepAlive } from '../util/KeepAlive.js';
import type { OutputSpec } from '../workflow/WorkflowDefinition.js';
import type { GenerationHandle } from './GenerationHandle.js';
import type { GenerationRegistry } from './GenerationRegistry.js';
import type { GenerationRecord } from './GenerationState.js';

/** How one rendered graph is launched. */
export interface LaunchOptions {
  /** Run on this backend (already picked); default: the least busy healthy one. */
  backend?: ComfyBackend;
  workflow?: string;
  parameters?: Record<string, unknown>;
  /** Who asked and where to answer; opaque to core. */
  origin?: Record<string, unknown>;
  deadlineMs: number;
  progress?: ProgressInterpreter;
  outputs?: readonly OutputSpec[];
}

const defaultInterpreter = new StepWeightedInterpreter();

/**
 * Puts a rendered graph on a backend: its prompt is tracked (router, deadline), registered,
 * announced, then posted. The one path from a validated request to ComfyUI.
 */
export class GenerationLauncher {
  constructor(
    private readonly pool: BackendPool,
    private readonly registry: GenerationRegistry<TrackedPrompt>,
    private readonly events: Broadcaster<RelayEvent>,
    private readonly keepAlive: KeepAlive,
    private readonly backendWaitMs: number,
  ) {}

  /**
   * Resolves with the handle once ComfyUI accepted the prompt; rejects with
   * {@link PromptValidationError} when ComfyUI refuses it (the generation is failed too).
   */
  async launch(graph: ApiWorkflow, options: LaunchOptions): Promise<GenerationHandle> {
    const backend = options.backend ?? (await this.pool.pick(this.backendWaitMs));
    const releaseProcess = this.keepAlive.hold();
    const publish = (event: RelayEvent) => this.events.publish(event);
    const prompt = backend.track({
      generation: {
        id: randomUUID(),
        promptId: randomUUID(),
        backend: backend.id,
        ...(options.workflow ? { workflow: options.workflow } : {}),
        ...(options.parameters ? { parameters: options.parameters } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      },
      tracker: (options.progress ?? defaultInterpreter).track(graph),
      graph,
      outputs: options.outputs ?? [],
      deadlineMs: options.deadlineMs,
      publish,
      settled: (settled) => {
        releaseProcess();
        this.registry.retire(settled);
      },
    });
    const generation = prompt.generation;
    this.registry.add(prompt);
    publish({
      type: 'submitted',
      id: generation.id,
      promptId: generation.promptId,
      record: generation.toRecord(),
    });
    try {
      await backend.submit(prompt);
    } catch (error) {
      // The POST may have reached ComfyUI before the answer was lost: take it back off the queue.
      if (error instanceof ComfyUnreachableError) void prompt.withdraw().catch(() => undefined);
      prompt.fail(
        error instanceof PromptValidationError
          ? { code: 'validation', message: error.message }
          : error instanceof ComfyUnreachableError
            ? { code: 'unreachable', message: `${error.message}; the generation was not started.` }
            : { code: 'internal', message: error instanceof Error ? error.message : String(error) },
      );
      if (error instanceof ComfyRelayError) error.generationId = generation.id;
      throw error;
    }
    return handleOf(prompt);
  }
}

/** A frontend's read-only handle on a tracked prompt. */
export function handleOf(prompt: TrackedPrompt): GenerationHandle {
  const generation = prompt.generation;
  return {
    id: generation.id,
    promptId: generation.promptId,
    workflow: generation.workflow,
    done: generation.done,
    record: (): GenerationRecord => generation.toRecord(),
    cancel: () => prompt.cancel(),
  };
}

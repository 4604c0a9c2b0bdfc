import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'tsyringe';
import { LoggerToken, RelayConfigToken } from './di/tokens.js';
import { Broadcaster } from './broadcast/Broadcaster.js';
import { BackendPool } from './backend/BackendPool.js';
import { ComfyBackend } from './backend/ComfyBackend.js';
import { ComfyRelayError, ComfyUnreachableError, NotFoundError } from './errors.js';
import { encodeRelayEvent, relayCoalesceKey, type RelayEvent } from './events.js';
import { Generation } from './generation/Generation.js';
import { GenerationRegistry } from './generation/GenerationRegistry.js';
import type { GenerationOutput, GenerationRecord } from './generation/GenerationState.js';
import { InMemoryGenerationStore } from './generation/GenerationStore.js';
import { PromptValidationError } from './http/PromptValidationError.js';
import { PluginHost } from './plugins/PluginHost.js';
import type { ProgressInterpreter } from './progress/Progress.js';
import { StepWeightedInterpreter } from './progress/StepWeightedInterpreter.js';
import type { ApiWorkflow } from './protocol/graph.js';
import type { RelayConfig } from './RelayConfig.js';
import { createConsoleLogger, type Logger } from './util/Logger.js';
import { formatDuration } from './util/formatDuration.js';
import { KeepAlive } from './util/KeepAlive.js';
import { buildGraph } from './workflow/renderWorkflow.js';
import {
  validateParameters,
  type ChoiceResolver,
  type ParameterValues,
} from './workflow/validateParameters.js';
import { liveChoiceResolver } from './workflow/liveChoices.js';
import {
  isImageInput,
  type FollowUpContext,
  type OutputSpec,
} from './workflow/WorkflowDefinition.js';

export interface SubmitOptions {
  workflow?: string;
  parameters?: Record<string, unknown>;
  /** Who asked and where to answer; opaque to core. */
  origin?: Record<string, unknown>;
  deadlineMs?: number;
  progress?: ProgressInterpreter;
  outputs?: OutputSpec[];
  /** Run on this backend (by id) instead of the least busy one. */
  backend?: string;
}

export interface RelaySnapshot {
  clientId: string;
  backends: { id: string; url: string; state: string; load: number; tracked: number }[];
  generations: GenerationRecord[];
}

const defaultInterpreter = new StepWeightedInterpreter();

/**
 * The engine: one persistent connection per ComfyUI server, one client id for every prompt,
 * the generation registry, the plugin host and the broadcaster every frontend subscribes to.
 */
@injectable()
export class ComfyRelay {
  readonly clientId: string;
  readonly events: Broadcaster<RelayEvent>;
  readonly plugins: PluginHost;
  readonly registry: GenerationRegistry;
  readonly pool: BackendPool;
  readonly logger: Logger;
  private readonly deadlineMs: number;
  private readonly backendWaitMs: number;
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  /** Holds the process open while any generation is in flight (see {@link KeepAlive}). */
  private readonly keepAlive = new KeepAlive();
  /** Choices of parameters read live from `/object_info` (cached a minute). */
  readonly resolveChoices: ChoiceResolver;
  private started = false;

  constructor(
    @inject(RelayConfigToken) readonly config: RelayConfig,
    @inject(LoggerToken) logger?: Logger,
  ) {
    if (config.backends.length === 0)
      throw new ComfyRelayError('No ComfyUI server configured (set COMFYUI_URL)');
    this.logger = logger ?? createConsoleLogger(config.logLevel ?? 'info');
    this.clientId = config.clientId ?? `comfyrelay-${randomUUID()}`;
    this.deadlineMs = config.deadlineMs ?? 10 * 60_000;
    this.backendWaitMs = config.backendWaitMs ?? 10_000;
    this.events = new Broadcaster<RelayEvent>({
      coalesceKey: relayCoalesceKey,
      queueLimit: 1024,
      ...(config.broadcast?.queueLimit ? { queueLimit: config.broadcast.queueLimit } : {}),
      ...(config.broadcast?.sendTimeoutMs ? { sendTimeoutMs: config.broadcast.sendTimeoutMs } : {}),
      onDrop: (subscription, reason) => {
        if (reason.code === 'unsubscribed' || reason.code === 'broadcaster-closed') return;
        this.logger.warn('dropped a subscriber', {
          subscriber: subscription.name,
          reason: reason.message,
        });
      },
    });
    this.plugins = new PluginHost(this.logger);
    this.resolveChoices = liveChoiceResolver((classType) => {
      const backend = this.pool.backends.find((b) => b.healthy) ?? this.pool.backends[0];
      return backend ? backend.http.getObjectInfo(classType) : Promise.resolve({});
    });
    this.registry = new GenerationRegistry(
      config.store ?? new InMemoryGenerationStore(),
      this.logger,
    );
    const publish = (event: RelayEvent) => this.events.publish(event);
    this.pool = new BackendPool(
      config.backends.map(
        (backend) =>
          new ComfyBackend({
            id: backend.id ?? new URL(backend.url).host,
            url: backend.url,
            clientId: this.clientId,
            logger: this.logger,
            publish,
            ...(config.httpTimeoutMs ? { httpTimeoutMs: config.httpTimeoutMs } : {}),
            ...(config.connection ? { connection: config.connection } : {}),
            ...(config.historyRetryDelayMs !== undefined
              ? { historyRetryDelayMs: config.historyRetryDelayMs }
              : {}),
            ...(config.cancelConfirmMs !== undefined
              ? { cancelConfirmMs: config.cancelConfirmMs }
              : {}),
            ...(config.silenceCheckMs !== undefined
              ? { silenceCheckMs: config.silenceCheckMs }
              : {}),
            ...(config.unreachableGraceMs !== undefined
              ? { unreachableGraceMs: config.unreachableGraceMs }
              : {}),
          }),
      ),
    );
  }

  /** Open every backend's socket (once, for the life of the process) and start the plugins. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const backend of this.pool.backends) backend.start();
    await this.plugins.start();
    this.logger.info('comfyrelay started', {
      clientId: this.clientId,
      backends: this.pool.backends.map((b) => b.url),
    });
  }

  /** Resolves once at least one backend is connected. */
  async ready(timeoutMs = this.backendWaitMs): Promise<void> {
    await this.pool.pick(timeoutMs);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.deadlines.clear();
    await this.plugins.stop();
    await Promise.all(this.pool.backends.map((backend) => backend.stop()));
    this.events.close();
  }

  /**
   * Run a workflow registered by a plugin: parameters are validated against its schema (nothing
   * is sent to ComfyUI if they are wrong), the template is rendered, then submitted.
   */
  generate(
    workflowId: string,
    input: Record<string, unknown>,
    options: Pick<SubmitOptions, 'origin' | 'deadlineMs' | 'backend'> = {},
  ): Promise<Generation> {
    return this.keepAlive.during(() => this.prepareAndSubmit(workflowId, input, options));
  }

  private async prepareAndSubmit(
    workflowId: string,
    input: Record<string, unknown>,
    options: Pick<SubmitOptions, 'origin' | 'deadlineMs' | 'backend'>,
  ): Promise<Generation> {
    const definition = this.plugins.get(workflowId);
    const values = await this.validate(workflowId, input);
    // Images go to the server that will run the graph, so pick it first.
    const pinned = options.backend === undefined ? undefined : this.pool.get(options.backend);
    const backend = pinned?.healthy ? pinned : await this.pool.pick(this.backendWaitMs);
    for (const [name, value] of Object.entries(values)) {
      if (isImageInput(value)) {
        const uploaded = await backend.http.uploadImage(value.data, value.filename, {
          subfolder: 'comfyrelay',
        });
        values[name] = uploaded.subfolder
          ? `${uploaded.subfolder}/${uploaded.name}`
          : uploaded.name;
      }
    }
    const graph = buildGraph(definition, values);
    return this.submit(graph, {
      workflow: definition.id,
      backend: backend.id,
      parameters: values,
      outputs: definition.outputs,
      ...(definition.progress ? { progress: definition.progress } : {}),
      ...(options.origin ? { origin: options.origin } : {}),
      deadlineMs: options.deadlineMs ?? definition.deadlineMs ?? this.deadlineMs,
    });
  }

  /**
   * Check parameters against a workflow's schema and the server's live choices, without
   * submitting anything: the values `generate` would run with (after the `prepare` hook).
   */
  async validate(workflowId: string, input: Record<string, unknown>): Promise<ParameterValues> {
    const definition = this.plugins.get(workflowId);
    const validated = await validateParameters(definition, input, this.resolveChoices);
    return definition.prepare ? definition.prepare(validated) : validated;
  }

  /**
   * Submit an API-format graph. Resolves with the generation once ComfyUI accepted it; rejects
   * with {@link PromptValidationError} when ComfyUI refuses it (the generation is failed too).
   */
  submit(graph: ApiWorkflow, options: SubmitOptions = {}): Promise<Generation> {
    return this.keepAlive.during(() => this.submitGraph(graph, options));
  }

  private async submitGraph(graph: ApiWorkflow, options: SubmitOptions): Promise<Generation> {
    if (!this.started) throw new ComfyRelayError('comfyrelay is not started');
    const pinned = options.backend === undefined ? undefined : this.pool.get(options.backend);
    const backend = pinned ?? (await this.pool.pick(this.backendWaitMs));
    const interpreter = options.progress ?? defaultInterpreter;
    const releaseProcess = this.keepAlive.hold();
    const generation = new Generation(
      {
        id: randomUUID(),
        promptId: randomUUID(),
        backend: backend.id,
        graph,
        ...(options.workflow ? { workflow: options.workflow } : {}),
        ...(options.parameters ? { parameters: options.parameters } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      },
      interpreter.track(graph),
      {
        publish: (event) => this.events.publish(event),
        onExecutionSuccess: (g) => void backend.finish(g),
        onTerminal: (g) => {
          releaseProcess();
          this.retire(g, backend);
        },
      },
    );
    this.registry.add(generation);
    this.events.publish({
      type: 'submitted',
      id: generation.id,
      promptId: generation.promptId,
      record: generation.toRecord(),
    });
    this.armDeadline(generation, options.deadlineMs ?? this.deadlineMs);
    try {
      await backend.submit(generation, graph, options.outputs);
    } catch (error) {
      // The POST may have reached ComfyUI before the answer was lost: take it back off the queue.
      if (error instanceof ComfyUnreachableError)
        void backend.withdraw(generation).catch(() => undefined);
      generation.fail(
        error instanceof PromptValidationError
          ? { code: 'validation', message: error.message }
          : error instanceof ComfyUnreachableError
            ? { code: 'unreachable', message: `${error.message}; the generation was not started.` }
            : { code: 'internal', message: error instanceof Error ? error.message : String(error) },
      );
      if (error instanceof ComfyRelayError) error.generationId = generation.id;
      throw error;
    }
    return generation;
  }

  /**
   * Run a follow-up action (reroll, upscale, animate …) offered on a finished generation: its
   * parameters derive from the result's, and its first image is handed over when the action
   * uses it.
   */
  async runAction(
    record: GenerationRecord,
    actionId: string,
    options: Pick<SubmitOptions, 'origin' | 'deadlineMs'> = {},
  ): Promise<Generation> {
    if (!record.workflow)
      throw new NotFoundError('This result was not made by a registered workflow');
    const definition = this.plugins.get(record.workflow);
    const action = definition.actions?.find((candidate) => candidate.id === actionId);
    if (!action) throw new NotFoundError(`${definition.title} offers no action "${actionId}"`);
    const context: FollowUpContext = {};
    if (action.usesOutputImage) {
      const output =
        record.outputs?.find((candidate) => candidate.kind === 'image') ?? record.outputs?.[0];
      if (!output) throw new NotFoundError('This result has no image to work from');
      context.image = { data: await this.readOutput(output), filename: output.file.filename };
    }
    const parameters = action.parameters(record.parameters ?? {}, context);
    // Parameters may name files uploaded to the server that made the result: stay there if it is up.
    return this.generate(action.workflow ?? definition.id, parameters, {
      ...options,
      backend: record.backend,
    });
  }

  /** Cancel a generation wherever it is. Resolves true when it is cancelled. */
  async cancel(id: string): Promise<boolean> {
    const generation = this.registry.get(id);
    if (!generation) {
      const record = await this.registry.record(id);
      if (!record) throw new NotFoundError(`There is no generation ${id}`);
      return record.status === 'cancelled';
    }
    const backend = this.pool.get(generation.backend);
    if (!backend) throw new NotFoundError(`Backend ${generation.backend} is gone`);
    return backend.cancel(generation);
  }

  get(id: string): Generation | undefined {
    return this.registry.get(id);
  }

  /** Download an output file via `/view`. */
  readOutput(output: GenerationOutput): Promise<Buffer> {
    return this.backendOf(output).readOutput(output.file);
  }

  /**
   * An output's size in bytes, asked with `HEAD /view` (nothing is downloaded): lets a frontend
   * pick how to deliver a file (attachment or link) before fetching it.
   */
  outputSize(output: GenerationOutput): Promise<number | undefined> {
    return this.backendOf(output).outputSize(output.file);
  }

  streamOutput(output: GenerationOutput): Promise<ReadableStream<Uint8Array>> {
    return this.backendOf(output).streamOutput(output.file);
  }

  snapshot(): RelaySnapshot {
    return {
      clientId: this.clientId,
      backends: this.pool.backends.map((backend) => ({
        id: backend.id,
        url: backend.url,
        state: backend.state,
        load: backend.load,
        tracked: backend.tracked,
      })),
      generations: this.registry.active().map((generation) => generation.toRecord()),
    };
  }

  /** JSON encoding of events for the wire (previews as data URLs). */
  readonly encodeEvent = encodeRelayEvent;

  private backendOf(output: GenerationOutput): ComfyBackend {
    const backend = this.pool.get(output.backend);
    if (!backend) throw new NotFoundError(`Backend ${output.backend} is not configured`);
    return backend;
  }

  /** A deadline of 0 (or Infinity) means none. */
  private armDeadline(generation: Generation, deadlineMs: number): void {
    if (!(deadlineMs > 0) || !Number.isFinite(deadlineMs)) return;
    const timer = setTimeout(() => {
      this.deadlines.delete(generation.id);
      if (generation.isTerminal) return;
      const backend = this.pool.get(generation.backend);
      void backend?.withdraw(generation).catch((error: unknown) =>
        this.logger.warn('could not remove an expired generation from ComfyUI', {
          id: generation.id,
          error: String(error),
        }),
      );
      generation.fail({
        code: 'deadline',
        message: `This generation took longer than ${formatDuration(deadlineMs)} and was stopped.`,
      });
    }, deadlineMs);
    timer.unref();
    this.deadlines.set(generation.id, timer);
  }

  private retire(generation: Generation, backend: ComfyBackend): void {
    const timer = this.deadlines.get(generation.id);
    if (timer) clearTimeout(timer);
    this.deadlines.delete(generation.id);
    backend.release(generation);
    this.registry.retire(generation);
  }
}

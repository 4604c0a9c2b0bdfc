import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import type { BackendPool } from './backend/BackendPool.js';
import type { ComfyBackend } from './backend/ComfyBackend.js';
import type { Broadcaster } from './broadcast/Broadcaster.js';
import type { BroadcastSink } from './broadcast/BroadcastSink.js';
import type { DropReason } from './broadcast/DropReason.js';
import type { Subscription, SubscriptionOptions } from './broadcast/Subscription.js';
import {
  BackendPoolToken,
  ClientIdToken,
  GenerationStoreToken,
  LoggerToken,
  PluginHostToken,
  RelayConfigToken,
  RelayEventsToken,
} from './di/tokens.js';
import { ComfyRelayError, NotFoundError } from './errors.js';
import { encodeRelayEvent, type RelayEvent } from './events.js';
import type { GenerationHandle } from './generation/GenerationHandle.js';
import { GenerationLauncher, handleOf } from './generation/GenerationLauncher.js';
import { GenerationRegistry } from './generation/GenerationRegistry.js';
import {
  recordOf,
  type GenerationOrigin,
  type GenerationOutput,
  type GenerationRecord,
} from './generation/GenerationState.js';
import type { ListOptions } from './generation/GenerationStore.js';
import type { Job } from './scheduling/Job.js';
import { LimitPolicy } from './scheduling/Limits.js';
import { PositionBoard } from './scheduling/PositionBoard.js';
import { Scheduler } from './scheduling/Scheduler.js';
import type { GenerationStore } from './generation/GenerationStore.js';
import { registerLauncher } from './internal/launchers.js';
import type { Plugin } from './plugins/Plugin.js';
import type { PluginHost } from './plugins/PluginHost.js';
import type { ObjectInfo, SystemStats } from './protocol/rest.js';
import type { RelayConfig } from './RelayConfig.js';
import { KeepAlive } from './util/KeepAlive.js';
import type { Logger } from './util/Logger.js';
import { liveChoiceResolver } from './workflow/liveChoices.js';
import { buildGraph } from './workflow/renderWorkflow.js';
import { validateParameters, type ChoiceResolver } from './workflow/validateParameters.js';
import {
  isImageInput,
  type FollowUpContext,
  type ParameterValues,
  type WorkflowDefinition,
} from './workflow/WorkflowDefinition.js';

/** Who asked, how long it may take, where it runs. */
export interface GenerateOptions {
  /** Who asked and where to answer (platform, user, chat, message references …). */
  origin?: GenerationOrigin;
  /** Fail it if not done by then, queue time included (default: the workflow's, else the relay's). */
  deadlineMs?: number;
  /** Run on this backend (by id) while it is up, instead of the least busy one. */
  backend?: string;
  /** The result this one follows up, and the action (lineage, kept in its record). */
  parentId?: string;
  action?: string;
}

/** A follow-up on a finished result. */
export interface ActionOptions {
  origin?: GenerationOrigin;
  deadlineMs?: number;
  /** Which of the result's images it works on (0-based; default the first): V2, U3 … */
  imageIndex?: number;
  /** Values that replace what the action derives (a remixed prompt, a stronger variation …). */
  overrides?: Record<string, unknown>;
}

/** A subscription to every event, or to one generation's. */
export interface RelaySubscribeOptions extends SubscriptionOptions<RelayEvent> {
  /** Only this generation's events (cheap: indexed, not filtered). */
  generation?: string;
}

export interface BackendStatus {
  id: string;
  url: string;
  state: string;
  /** Prompts on its queue plus those being posted to it. */
  load: number;
  /** Generations of ours it runs or holds. */
  tracked: number;
}

export interface RelaySnapshot {
  clientId: string;
  backends: BackendStatus[];
  generations: GenerationRecord[];
}

/**
 * The engine every frontend stands on: one persistent connection per ComfyUI server, one
 * client id for every prompt, the registered workflows, generations and their events.
 * Frontends call its methods and subscribe to its events; they never touch its parts.
 */
@injectable()
export class ComfyRelay {
  readonly clientId: string;
  private readonly registry: GenerationRegistry<Job>;
  private readonly scheduler: Scheduler;
  private readonly launcher: GenerationLauncher;
  private readonly keepAlive = new KeepAlive();
  /** Requesters seen with an admin role: no limit applies to them. */
  private readonly adminRequesters = new Set<string>();
  private readonly resolveChoices: ChoiceResolver;
  private readonly deadlineMs: number;
  private readonly backendWaitMs: number;
  private started = false;

  constructor(
    @inject(RelayConfigToken) config: RelayConfig,
    @inject(LoggerToken) private readonly logger: Logger,
    @inject(ClientIdToken) clientId: string,
    @inject(GenerationStoreToken) store: GenerationStore,
    @inject(PluginHostToken) private readonly plugins: PluginHost,
    @inject(RelayEventsToken) private readonly events: Broadcaster<RelayEvent>,
    @inject(BackendPoolToken) private readonly pool: BackendPool,
  ) {
    if (pool.backends.length === 0)
      throw new ComfyRelayError('No ComfyUI server configured (set COMFYUI_URL)');
    this.clientId = clientId;
    this.deadlineMs = config.deadlineMs ?? 10 * 60_000;
    this.backendWaitMs = config.backendWaitMs ?? 10_000;
    this.registry = new GenerationRegistry<Job>(store, logger);
    const board = new PositionBoard((event) => events.publish(event));
    this.scheduler = new Scheduler(pool, board, (job) => this.registry.persist(job), logger, {
      ...(config.scheduling?.perBackend !== undefined
        ? { perBackend: config.scheduling.perBackend }
        : {}),
    });
    for (const backend of pool.backends) {
      backend.watch({
        positions: (from, positions) => {
          board.set(from.id, positions);
          // A fresh view of a server: the places of the jobs waiting for it move with it.
          if (this.scheduler.waiting > 0) this.scheduler.kick();
        },
        available: () => this.scheduler.kick(),
        stranded: (from, prompts) => this.scheduler.strandedOn(from, prompts),
      });
    }
    const adminRoles = new Set(config.scheduling?.adminRoles ?? [ADMIN_ROLE]);
    const isAdmin = (origin: GenerationOrigin | undefined) =>
      origin?.roles?.some((role) => adminRoles.has(role)) ?? false;
    this.launcher = new GenerationLauncher(
      this.registry,
      this.scheduler,
      events,
      this.keepAlive,
      new LimitPolicy({
        ...config.scheduling?.limits,
        exempt: (requester) => this.adminRequesters.has(requester),
      }),
      {
        requesterOf: requesterOf,
        priorityOf: (origin) => {
          if (!isAdmin(origin)) return 1;
          this.adminRequesters.add(requesterOf(origin));
          return 0;
        },
      },
    );
    registerLauncher(this, {
      launcher: this.launcher,
      keepAlive: this.keepAlive,
      deadlineMs: this.deadlineMs,
    });
    this.resolveChoices = liveChoiceResolver((classType) => this.objectInfo({ classType }));
  }

  /** Open every backend's socket (once, for the life of the process) and start the plugins. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.takeUpUnfinished();
    for (const backend of this.pool.backends) backend.start();
    await this.plugins.start();
    this.logger.info('comfyrelay started', {
      clientId: this.clientId,
      backends: this.pool.backends.map((b) => b.url),
    });
  }

  /**
   * Nothing is lost on a restart: every generation the store holds unfinished is taken up again
   * before the sockets open — back in our queue (in its order) if it waited there, else followed
   * on its backend and reconciled there. Each gets a `resumed` event.
   */
  private async takeUpUnfinished(): Promise<void> {
    const unfinished = await this.registry.store.unfinished();
    const waiting: Job[] = [];
    for (const stored of unfinished) {
      const definition =
        stored.workflow !== undefined && this.plugins.has(stored.workflow)
          ? this.plugins.get(stored.workflow)
          : undefined;
      const job = await this.launcher.takeUp(stored, definition);
      if (job.isTerminal) continue;
      const backend = stored.backend === undefined ? undefined : this.pool.get(stored.backend);
      if (backend && stored.graph) {
        job.prompt = backend.adopt({
          generation: job.generation,
          graph: stored.graph,
          outputs: job.request.outputs,
          resubmitted: stored.resubmitted ?? false,
        });
        this.scheduler.adopted(job);
      } else if (stored.backend !== undefined && stored.startedAt !== undefined) {
        job.generation.fail({
          code: 'lost',
          message: `Its ComfyUI server (${stored.backend}) is no longer configured; the generation was lost. Please try again.`,
        });
        continue;
      } else {
        job.generation.backend = undefined;
        waiting.push(job);
      }
      const generation = job.generation;
      this.events.publish({
        type: 'resumed',
        id: generation.id,
        promptId: generation.promptId,
        record: generation.toRecord(),
      });
    }
    this.scheduler.restore(waiting);
    if (unfinished.length > 0)
      this.logger.info('took up unfinished generations', {
        followed: unfinished.length - waiting.length,
        queued: waiting.length,
      });
  }

  /** Resolves once at least one backend is connected. */
  async ready(timeoutMs = this.backendWaitMs): Promise<void> {
    await this.pool.pick(timeoutMs);
  }

  /**
   * The first half of a graceful shutdown: new work is refused (in words), nothing more is handed
   * to ComfyUI, and what is on the servers gets up to `timeoutMs` to finish while frontends still
   * deliver it — then, within the same `timeoutMs`, every subscriber is handed the events
   * published so far (the finals above all), or dropped by its send timeout. Resolves with how
   * many generations were still on a server then; they, and our own queue, stay in the store for
   * the next start. Then the frontends settle and stop, then `stop()`.
   */
  async drain(timeoutMs: number): Promise<number> {
    this.launcher.close('comfyrelay is shutting down; please try again in a minute.');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.scheduler.drain(), deadline]);
    await Promise.race([this.events.drained(), deadline]);
    clearTimeout(timer);
    const left = this.registry.active().filter((job) => !job.isWaiting).length;
    this.logger.info(
      left === 0 ? 'nothing left on ComfyUI' : 'generations left on ComfyUI for the next start',
      {
        left,
        queued: this.scheduler.waiting,
      },
    );
    return left;
  }

  /**
   * Close every socket and stop the plugins. Generations still in flight keep their records as
   * they are: the next start on the same store takes them up again.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.launcher.detachAll();
    // Transitions noted this tick are written before the caller may close the store.
    this.registry.flush();
    await this.plugins.stop();
    await Promise.all(this.pool.backends.map((backend) => backend.stop()));
    this.events.close();
  }

  /** Register a plugin's workflows (before or after start). */
  use(plugin: Plugin): Promise<void> {
    return this.plugins.use(plugin);
  }

  /** Every registered workflow. */
  workflows(): WorkflowDefinition[] {
    return this.plugins.workflows();
  }

  /** A registered workflow; throws {@link NotFoundError} for an unknown id. */
  workflow(id: string): WorkflowDefinition {
    return this.plugins.get(id);
  }

  /** The plugin that registered a workflow. */
  pluginOf(workflowId: string): string | undefined {
    return this.plugins.pluginOf(workflowId);
  }

  /** A parameter's choices: its fixed list, or the server's live one (checkpoints, LoRAs …). */
  async choicesFor(workflowId: string, parameter: string): Promise<readonly string[] | undefined> {
    const spec = this.workflow(workflowId).parameters.find((p) => p.name === parameter);
    if (!spec) throw new NotFoundError(`${workflowId} has no parameter "${parameter}"`);
    return this.resolveChoices(spec);
  }

  /**
   * ComfyUI's node catalogue (`/object_info`, or one class of it): from the given backend, else
   * from the first that answers, connected ones first (it works before `start` too).
   */
  async objectInfo(options: { classType?: string; backend?: string } = {}): Promise<ObjectInfo> {
    const chosen = options.backend !== undefined ? this.pool.get(options.backend) : undefined;
    const backends = chosen
      ? [chosen]
      : [...this.pool.backends].sort((a, b) => Number(b.healthy) - Number(a.healthy));
    let last: unknown = new NotFoundError(`There is no backend ${String(options.backend)}`);
    for (const backend of backends) {
      try {
        return await backend.http.getObjectInfo(options.classType);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }

  /**
   * A backend's `/system_stats` (ComfyUI's version, Python, devices), asked with its credentials:
   * of the given backend, else of the first one (throws {@link NotFoundError} for an unknown id).
   */
  async systemStats(backend?: string): Promise<SystemStats> {
    const chosen = backend !== undefined ? this.pool.get(backend) : this.pool.backends[0];
    if (!chosen) throw new NotFoundError(`There is no backend ${String(backend)}`);
    return chosen.http.getSystemStats();
  }

  /**
   * Check parameters against a workflow's schema and the server's live choices, without
   * submitting anything: the values `generate` would run with (after the `prepare` hook).
   * Throws a `ParameterError` listing every problem.
   */
  async validate(workflowId: string, input: Record<string, unknown>): Promise<ParameterValues> {
    const definition = this.plugins.get(workflowId);
    const validated = await validateParameters(definition, input, this.resolveChoices);
    if (!definition.prepare) return validated;
    const given = new Set(
      Object.keys(input).filter((name) => input[name] !== undefined && input[name] !== ''),
    );
    return definition.prepare(validated, given);
  }

  /**
   * Run a registered workflow: parameters are validated against its schema (nothing is sent to
   * ComfyUI if they are wrong), images are uploaded to the backend that will run it, the
   * template is rendered and posted. Resolves once ComfyUI accepted it.
   */
  generate(
    workflowId: string,
    input: Record<string, unknown>,
    options: GenerateOptions = {},
  ): Promise<GenerationHandle> {
    return this.keepAlive.during(async () => {
      if (!this.started) throw new ComfyRelayError('comfyrelay is not started');
      const definition = this.plugins.get(workflowId);
      const values = await this.validate(workflowId, input);
      await this.pool.pick(this.backendWaitMs); // refuses when no server is reachable at all
      // A follow-up stays on the server that made its result while that one is up.
      const pinned = options.backend !== undefined && this.pool.get(options.backend)?.healthy;
      return this.launcher.launch({
        graph: buildGraph(definition, withFileNames(values)),
        definition,
        values,
        workflow: definition.id,
        outputs: definition.outputs,
        ...(definition.progress ? { progress: definition.progress } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
        ...(pinned ? { pinned: options.backend } : {}),
        ...(options.parentId !== undefined ? { parentId: options.parentId } : {}),
        ...(options.action !== undefined ? { action: options.action } : {}),
        deadlineMs: options.deadlineMs ?? definition.deadlineMs ?? this.deadlineMs,
      });
    });
  }

  /**
   * Run a follow-up action (reroll, upscale, animate …) offered on a finished generation: its
   * parameters derive from the result's, and its first image is handed over when the action
   * uses it. Runs on the backend that made the result while it is up.
   */
  async runAction(
    result: GenerationRecord | string,
    actionId: string,
    options: ActionOptions = {},
  ): Promise<GenerationHandle> {
    const record = typeof result === 'string' ? await this.record(result) : result;
    if (!record) throw new NotFoundError(`There is no generation ${String(result)}`);
    if (!record.workflow)
      throw new NotFoundError('This result was not made by a registered workflow');
    const definition = this.plugins.get(record.workflow);
    const action = definition.actions?.find((candidate) => candidate.id === actionId);
    if (!action) throw new NotFoundError(`${definition.title} offers no action "${actionId}"`);
    const context: FollowUpContext = {};
    if (action.usesOutputImage) {
      const images = (record.outputs ?? []).filter((candidate) => candidate.kind === 'image');
      const index = options.imageIndex ?? 0;
      const output = images.length > 0 ? images[index] : record.outputs?.[index];
      if (!output)
        throw new NotFoundError(
          index === 0
            ? 'This result has no image to work from'
            : `This result has no image ${index + 1}`,
        );
      context.image = { data: await this.readOutput(output), filename: output.file.filename };
      context.index = index;
    }
    const parameters = {
      ...action.parameters(record.parameters ?? {}, context),
      ...options.overrides,
    };
    // Parameters may name files uploaded to the server that made the result: stay there if it is up.
    return this.generate(action.workflow ?? definition.id, parameters, {
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
      ...(record.backend !== undefined ? { backend: record.backend } : {}),
      parentId: record.id,
      action: actionId,
    });
  }

  /** Cancel a generation wherever it is. Resolves true when it is cancelled. */
  async cancel(id: string): Promise<boolean> {
    const live = this.registry.get(id);
    if (live) return handleOf(live, this.scheduler).cancel();
    const record = await this.registry.record(id);
    if (!record) throw new NotFoundError(`There is no generation ${id}`);
    return record.status === 'cancelled';
  }

  /** A live generation's handle. */
  handle(id: string): GenerationHandle | undefined {
    const live = this.registry.get(id);
    return live && handleOf(live, this.scheduler);
  }

  /** A generation's record, live or stored. */
  record(id: string): Promise<GenerationRecord | undefined> {
    return this.registry.record(id);
  }

  /**
   * Past and present generations from the store, most recent first (`limit`, `before`, one
   * `requester`'s, only `finished` ones): history pages, `/show`, a user's own jobs.
   */
  async history(options: ListOptions = {}): Promise<GenerationRecord[]> {
    const stored = await this.registry.store.list(options);
    return stored.map(
      (record) => this.registry.get(record.id)?.generation.toRecord() ?? recordOf(record),
    );
  }

  /** The records of every generation in flight. */
  active(): GenerationRecord[] {
    return this.registry.active().map((job) => job.generation.toRecord());
  }

  /**
   * Receive relay events: every one, or one generation's (`{ generation: id }`, indexed: cheap
   * for thousands of them; its queue moves arrive as `queued`). The sink is never awaited by the
   * socket path: each subscription has its own queue and send timeout, superseded progress and
   * positions are coalesced, lifecycle events are never dropped for a burst, and a sink that
   * stops accepting (its send does not settle) is dropped with a reason.
   */
  subscribe(sink: BroadcastSink<RelayEvent>, options: RelaySubscribeOptions = {}): Subscription {
    const { generation, ...rest } = options;
    if (generation === undefined) return this.events.subscribe(sink, rest);
    return this.events.subscribe(queuedFor(generation, sink), { ...rest, topic: generation });
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

  /** Every backend: connection state, load, generations it holds. */
  backends(): BackendStatus[] {
    return this.pool.backends.map((backend) => ({
      id: backend.id,
      url: backend.url,
      state: backend.state,
      load: backend.load,
      tracked: backend.tracked,
    }));
  }

  /**
   * Subscribers the relay dropped because they fell behind or failed (`send-timeout`,
   * `queue-overflow`, `send-failed`), counted by reason since start: for an operator's metrics.
   */
  subscriberDrops(): Partial<Record<'send-timeout' | 'queue-overflow' | 'send-failed', number>> {
    const counts: Partial<Record<'send-timeout' | 'queue-overflow' | 'send-failed', number>> = {};
    for (const [code, count] of this.events.drops)
      if (code !== 'unsubscribed' && code !== 'broadcaster-closed') counts[code] = count;
    return counts;
  }

  snapshot(): RelaySnapshot {
    return { clientId: this.clientId, backends: this.backends(), generations: this.active() };
  }

  /** JSON encoding of events for the wire (previews as data URLs). */
  readonly encodeEvent = encodeRelayEvent;

  private backendOf(output: GenerationOutput): ComfyBackend {
    const backend = this.pool.get(output.backend);
    if (!backend) throw new NotFoundError(`Backend ${output.backend} is not configured`);
    return backend;
  }
}

/** A generation's subscriber sees its place in the queue as `queued`, once per change. */
function queuedFor(id: string, sink: BroadcastSink<RelayEvent>): BroadcastSink<RelayEvent> {
  return new QueuedFor(id, sink);
}

/** See `queuedFor`: one small object per subscription (thousands of them), no closures. */
class QueuedFor implements BroadcastSink<RelayEvent> {
  private last: number | undefined;

  constructor(
    private readonly id: string,
    private readonly sink: BroadcastSink<RelayEvent>,
  ) {}

  send(event: RelayEvent): void | Promise<void> {
    if (event.type !== 'positions') {
      // A generation started over waits again: its next place is news, whatever it was before.
      if (event.type === 'started') this.last = undefined;
      else if (event.type === 'queued') this.last = event.position;
      return this.sink.send(event);
    }
    const slot = event.positions[this.id];
    if (!slot || slot.position === this.last) return;
    this.last = slot.position;
    return this.sink.send({ type: 'queued', id: this.id, ...slot });
  }

  close(reason: DropReason): void {
    this.sink.close?.(reason);
  }
}

/** "discord:1234": who asked, for fair turns and limits (everyone unnamed is one requester). */
function requesterOf(origin: GenerationOrigin | undefined): string {
  return `${origin?.platform ?? 'local'}:${origin?.userId ?? 'anonymous'}`;
}

/** Values with each picture named by its file name: the graph's shape before uploads. */
function withFileNames(values: ParameterValues): ParameterValues {
  const named: ParameterValues = {};
  for (const [name, value] of Object.entries(values))
    named[name] = isImageInput(value) ? value.filename : value;
  return named;
}

/** The role a frontend gives admins in a request's origin (default of `scheduling.adminRoles`). */
export const ADMIN_ROLE = 'comfyrelay:admin';

import { randomUUID } from 'node:crypto';
import type { Broadcaster } from '../broadcast/Broadcaster.js';
import { ComfyRelayError, ShuttingDownError } from '../errors.js';
import type { RelayEvent } from '../events.js';
import type { ProgressInterpreter } from '../progress/Progress.js';
import { StepWeightedInterpreter } from '../progress/StepWeightedInterpreter.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import { Job, type JobHooks } from '../scheduling/Job.js';
import type { LimitPolicy } from '../scheduling/Limits.js';
import type { Scheduler } from '../scheduling/Scheduler.js';
import type { KeepAlive } from '../util/KeepAlive.js';
import type {
  OutputSpec,
  ParameterValues,
  WorkflowDefinition,
} from '../workflow/WorkflowDefinition.js';
import type { GenerationHandle } from './GenerationHandle.js';
import type { GenerationRegistry } from './GenerationRegistry.js';
import type { GenerationOrigin, GenerationRecord, StoredGeneration } from './GenerationState.js';

/** One request to run: a workflow with validated values, or a raw graph. */
export interface LaunchOptions {
  graph: ApiWorkflow;
  workflow?: string;
  definition?: WorkflowDefinition;
  /** Validated values (pictures as `ImageInput`s, uploaded when it is dispatched). */
  values?: ParameterValues;
  outputs?: readonly OutputSpec[];
  progress?: ProgressInterpreter;
  origin?: GenerationOrigin;
  deadlineMs: number;
  /** Run only on this backend. */
  pinned?: string;
  parentId?: string;
  action?: string;
}

/** How requests are told apart and ranked. */
export interface LaunchPolicy {
  /** Who asked, for fair turns and limits ("discord:1234"). */
  requesterOf(origin: GenerationOrigin | undefined): string;
  /** 0 runs first (admins), then 1, 2 … */
  priorityOf(origin: GenerationOrigin | undefined): number;
}

const defaultInterpreter = new StepWeightedInterpreter();

/**
 * The one path from a validated request to comfyrelay's queue: limits checked, the job created
 * and its record written (before anything reaches ComfyUI), announced, queued. Resolves with
 * the frontend's handle as soon as the job is queued; where it ends is in its events and `done`.
 */
export class GenerationLauncher implements JobHooks {
  constructor(
    private readonly registry: GenerationRegistry<Job>,
    private readonly scheduler: Scheduler,
    private readonly events: Broadcaster<RelayEvent>,
    private readonly keepAlive: KeepAlive,
    private readonly limits: LimitPolicy,
    private readonly policy: LaunchPolicy,
  ) {}

  private closedBecause: string | undefined;

  /** Refuse every launch from now on, with this reason. */
  close(reason: string): void {
    this.closedBecause = reason;
  }

  async launch(options: LaunchOptions): Promise<GenerationHandle> {
    if (this.closedBecause !== undefined) throw new ShuttingDownError(this.closedBecause);
    const requester = this.policy.requesterOf(options.origin);
    const refused = this.limits.check({
      requester,
      inFlight: this.registry.liveOf(requester),
      globalQueued: this.scheduler.waiting,
      now: Date.now(),
    });
    if (refused) throw refused;

    const job = this.createJob(
      {
        id: randomUUID(),
        promptId: randomUUID(),
        requester,
        priority: this.policy.priorityOf(options.origin),
        deadlineMs: options.deadlineMs,
        ...(options.pinned !== undefined ? { backend: options.pinned } : {}),
        ...(options.workflow ? { workflow: options.workflow } : {}),
        ...(options.values ? { parameters: parameterRecord(options.values) } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
        ...(options.parentId !== undefined ? { parentId: options.parentId } : {}),
        ...(options.action !== undefined ? { action: options.action } : {}),
      },
      {
        graph: options.graph,
        values: options.values ?? {},
        outputs: options.outputs ?? [],
        interpreter: options.progress ?? defaultInterpreter,
        ...(options.definition ? { definition: options.definition } : {}),
        ...(options.pinned !== undefined ? { pinned: options.pinned } : {}),
      },
    );
    const missing = this.scheduler.unsatisfiable(job);
    if (missing.length > 0) {
      this.releaseProcess(job);
      throw new ComfyRelayError(
        `No ComfyUI server can run this: ${missing.join('; ')} ${missing.length === 1 ? 'is' : 'are'} missing.`,
      );
    }
    await this.registry.add(job);
    this.limits.record(requester, Date.now());
    const generation = job.generation;
    this.events.publish({
      type: 'submitted',
      id: generation.id,
      promptId: generation.promptId,
      record: generation.toRecord(),
    });
    this.scheduler.enqueue(job);
    return handleOf(job, this.scheduler);
  }

  /**
   * Take up a generation a restart interrupted, from its record: back in our queue if it was
   * waiting there, else followed again on its backend (then reconciled with `/queue` and
   * `/history` as after a reconnect). Resolves with the job, registered and announced.
   */
  async takeUp(stored: StoredGeneration, definition: WorkflowDefinition | undefined): Promise<Job> {
    const values: ParameterValues = { ...(stored.parameters as ParameterValues | undefined) };
    for (const [name, picture] of Object.entries(stored.pictures ?? {}))
      values[name] = { filename: picture.filename, data: Buffer.from(picture.data, 'base64') };
    const job = this.createJob(
      {
        id: stored.id,
        promptId: stored.promptId,
        requester: this.policy.requesterOf(stored.origin),
        priority: this.policy.priorityOf(stored.origin),
        deadlineMs: stored.deadlineMs ?? 0,
        now: stored.createdAt,
        ...(stored.backend !== undefined ? { backend: stored.backend } : {}),
        ...(stored.workflow ? { workflow: stored.workflow } : {}),
        ...(stored.parameters ? { parameters: stored.parameters } : {}),
        ...(stored.origin ? { origin: stored.origin } : {}),
        ...(stored.parentId !== undefined ? { parentId: stored.parentId } : {}),
        ...(stored.action !== undefined ? { action: stored.action } : {}),
      },
      {
        graph: stored.graph ?? {},
        values,
        outputs: stored.outputSpecs ?? definition?.outputs ?? [],
        interpreter: definition?.progress ?? defaultInterpreter,
        ...(definition ? { definition } : {}),
      },
    );
    job.generation.resume(stored);
    await this.registry.add(job);
    return job;
  }

  // ── JobHooks: what every job tells its launcher (methods, not closures: the hot path of
  // every relay runs the same compiled code) ──

  /** A job's event: published, and persisted as it requires. */
  publish(job: Job, event: RelayEvent): void {
    this.events.publish(event);
    this.registry.noted(job, event);
  }

  /** A job's deadline passed. */
  expired(job: Job): void {
    this.takeOff(job);
  }

  /** A job ended: it lets the process go, leaves its backend and our queue, and is retired. */
  settled(job: Job): void {
    this.releaseProcess(job);
    if (job.prompt) this.scheduler.released(job.prompt);
    this.scheduler.remove(job);
    this.registry.retire(job);
  }

  /** A job whose hooks publish and persist its events, hold the process open and clean up. */
  private createJob(
    init: ConstructorParameters<typeof Job>[0],
    request: ConstructorParameters<typeof Job>[1],
  ): Job {
    this.keepAlive.acquire();
    const job = new Job(init, request, this);
    job.holdsProcess = true;
    return job;
  }

  /** The job no longer holds the process open (once, however often asked). */
  private releaseProcess(job: Job): void {
    if (!job.holdsProcess) return;
    job.holdsProcess = false;
    this.keepAlive.release();
  }

  /**
   * The relay stops with generations unfinished: their records stay as they are (the next start
   * takes them up), their timers go and they no longer hold the process open.
   */
  detachAll(): void {
    for (const job of this.registry.active()) {
      job.detach();
      this.releaseProcess(job);
    }
  }

  /** The deadline passed: out of our queue, or off the server. */
  private takeOff(job: Job): void {
    if (this.scheduler.remove(job)) return;
    void job.prompt?.withdraw().catch(() => undefined);
  }
}

/** A frontend's read-only handle on a job. */
export function handleOf(job: Job, scheduler: Scheduler): GenerationHandle {
  const generation = job.generation;
  return {
    id: generation.id,
    promptId: generation.promptId,
    workflow: generation.workflow,
    done: generation.done,
    record: (): GenerationRecord => generation.toRecord(),
    cancel: () => cancelJob(job, scheduler),
  };
}

/** Waiting in our queue: taken out, ComfyUI never hears of it. On a backend: deleted or interrupted. */
async function cancelJob(job: Job, scheduler: Scheduler): Promise<boolean> {
  const generation = job.generation;
  if (generation.isTerminal) return generation.status === 'cancelled';
  if (scheduler.remove(job)) {
    generation.cancel();
    return true;
  }
  return job.prompt ? job.prompt.cancel() : false;
}

/** Pictures are named in records (their bytes stay in memory until uploaded). */
function parameterRecord(values: ParameterValues): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values))
    record[name] = typeof value === 'object' ? value.filename : value;
  return record;
}

import type { TrackedPrompt } from '../backend/TrackedPrompt.js';
import type { RelayEvent } from '../events.js';
import { Generation, type GenerationHooks, type GenerationInit } from '../generation/Generation.js';
import type { StoredGeneration } from '../generation/GenerationState.js';
import type { ProgressInterpreter } from '../progress/Progress.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import { formatDuration } from '../util/formatDuration.js';
import {
  isImageInput,
  type OutputSpec,
  type ParameterValues,
  type WorkflowDefinition,
} from '../workflow/WorkflowDefinition.js';
import type { QueuedJob } from './FairQueue.js';

/** What a job runs: a workflow with validated values, or a raw graph. */
export interface JobRequest {
  /** Re-renders the graph once its images are uploaded to the backend that runs it. */
  definition?: WorkflowDefinition;
  /** Validated values; pictures stay `ImageInput`s until the job is dispatched. */
  values: ParameterValues;
  /** The graph as it will run (pictures named by their file names until uploaded). */
  graph: ApiWorkflow;
  outputs: readonly OutputSpec[];
  interpreter: ProgressInterpreter;
  /** Run only on this backend (a follow-up on files of the server that made its result). */
  pinned?: string;
}

/** What the engine around jobs hears of each (one object for every job: no closures per job). */
export interface JobHooks {
  publish(job: Job, event: RelayEvent): void;
  /** The deadline passed: take it off wherever it is. */
  expired(job: Job): void;
  /** Once, when its generation reached a terminal state. */
  settled(job: Job): void;
}

/**
 * One generation's life in the relay, from the request to its end: waiting in comfyrelay's own
 * queue, then handed to a backend (its {@link TrackedPrompt} there), with a deadline that counts
 * all of it. The scheduler moves it; the generation holds its state and publishes its events.
 */
export class Job implements QueuedJob, GenerationHooks {
  readonly id: string;
  readonly requester: string;
  readonly priority: number;
  seq?: number;
  readonly generation: Generation;
  readonly request: JobRequest;
  /** On a backend, once dispatched. */
  prompt: TrackedPrompt | undefined;
  readonly deadlineMs: number;
  /** Times a server could not take it (down, or a 5xx). */
  attempts = 0;
  /** It holds the Node process open (see KeepAlive), until it ends or the relay stops. */
  holdsProcess = false;
  private deadline: NodeJS.Timeout | undefined;
  /** Made by the first `toStored` (see there). */
  private outputSpecs: OutputSpec[] | undefined;
  /** Its pictures as a record keeps them; null when it has none. */
  private pictures: StoredGeneration['pictures'] | null | undefined;

  constructor(
    init: GenerationInit & { requester: string; priority: number; deadlineMs: number },
    request: JobRequest,
    private readonly hooks: JobHooks,
  ) {
    this.id = init.id;
    this.deadlineMs = init.deadlineMs;
    this.requester = init.requester;
    this.priority = init.priority;
    this.request = request;
    // The job is its generation's hooks (publish, settled): no closures per generation.
    this.generation = new Generation(init, request.interpreter.track(request.graph), this);
    this.armDeadline(init.deadlineMs - (Date.now() - this.generation.createdAt));
  }

  /** An event of its generation (its GenerationHooks). */
  publish(event: RelayEvent): void {
    this.hooks.publish(this, event);
  }

  /** Its generation ended (its GenerationHooks). */
  settled(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
    this.hooks.settled(this);
  }

  get isTerminal(): boolean {
    return this.generation.isTerminal;
  }

  /** In comfyrelay's own queue: not yet on any backend. */
  get isWaiting(): boolean {
    return this.prompt === undefined && !this.generation.isTerminal;
  }

  /** The relay stops: its deadline timer goes (a restart takes the job up again, deadline and all). */
  detach(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  /**
   * Its record with what a restart needs to take it up again: a fresh object on every call (a
   * store may keep it), built in one go. What never changes for a job (its output specs, its
   * pictures in base64) is made once and shared by its records.
   */
  toStored(): StoredGeneration {
    const stored: StoredGeneration = this.generation.toRecord();
    stored.graph = this.prompt?.graph ?? this.request.graph;
    stored.outputSpecs = this.outputSpecs ??= [...this.request.outputs];
    stored.deadlineMs = Number.isFinite(this.deadlineMs) ? this.deadlineMs : 0;
    if (this.prompt?.resubmitted) stored.resubmitted = true;
    if (this.generation.retried) stored.retried = true;
    if (this.isWaiting) {
      if (this.pictures === undefined) this.pictures = picturesOf(this.request.values) ?? null;
      if (this.pictures) stored.pictures = this.pictures;
    }
    return stored;
  }

  /** What is left of the deadline (none when it is 0 or Infinity; at once when it passed). */
  private armDeadline(leftMs: number): void {
    const deadlineMs = this.deadlineMs;
    if (!(deadlineMs > 0) || !Number.isFinite(deadlineMs)) return;
    this.deadline = setTimeout(expire, Math.max(0, leftMs), this);
    this.deadline.unref();
  }

  /** The deadline passed (see `armDeadline`). */
  expire(): void {
    this.deadline = undefined;
    if (this.generation.isTerminal) return;
    this.hooks.expired(this);
    this.generation.fail({
      code: 'deadline',
      message: `This generation took longer than ${formatDuration(this.deadlineMs)} and was stopped.`,
    });
  }
}

/** A job's deadline timer: the job is the timer's argument (no closure per job). */
function expire(job: Job): void {
  job.expire();
}

/** The pictures among a job's values, as a record can keep them. */
function picturesOf(values: ParameterValues): StoredGeneration['pictures'] {
  let pictures: StoredGeneration['pictures'];
  for (const [name, value] of Object.entries(values)) {
    if (!isImageInput(value)) continue;
    pictures ??= {};
    pictures[name] = { filename: value.filename, data: Buffer.from(value.data).toString('base64') };
  }
  return pictures;
}

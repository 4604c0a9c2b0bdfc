import type { BackendPool } from '../backend/BackendPool.js';
import type { ComfyBackend } from '../backend/ComfyBackend.js';
import type { TrackedPrompt } from '../backend/TrackedPrompt.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import {
  ComfyHttpError,
  ComfyRelayError,
  ComfyUnreachableError,
  PromptIdIgnoredError,
} from '../errors.js';
import type { QueuePosition } from '../events.js';
import { PromptValidationError } from '../http/PromptValidationError.js';
import { requirementsOf, type JobRequirements } from '../routing/requirements.js';
import type { Logger } from '../util/Logger.js';
import { buildGraph } from '../workflow/renderWorkflow.js';
import { isImageInput, type ParameterValues } from '../workflow/WorkflowDefinition.js';
import { FairQueue } from './FairQueue.js';
import type { Job } from './Job.js';
import type { PositionBoard } from './PositionBoard.js';

export interface SchedulerOptions {
  /** Our prompts on one backend at a time: enough that its GPU never idles (default 2). */
  perBackend?: number;
}

/** Tries at handing a job to a server before it fails in words. */
const MAX_ATTEMPTS = 4;

/** The board's source name for comfyrelay's own queue. */
const OWN_QUEUE = 'comfyrelay';

/**
 * comfyrelay's own queue in front of the backends. Jobs wait here, in fair order (requesters
 * take turns within priority classes), and each backend is handed only a few at a time; a job
 * goes only to a healthy backend that has every node class and model file its graph names.
 * Cancelling a job that waits here never touches ComfyUI.
 */
export class Scheduler {
  private readonly queue = new FairQueue<Job>();
  private readonly perBackend: number;
  private readonly requirements = new WeakMap<Job, JobRequirements>();
  /** The job of each prompt on a backend (a backend gives prompts back when it stays away). */
  private readonly jobOf = new WeakMap<TrackedPrompt, Job>();
  /** Jobs picked for a backend whose prompt is not registered there yet (uploads under way). */
  private readonly handingOver = new Map<ComfyBackend, number>();
  private kicked = false;
  /** Set by a graceful shutdown: nothing more goes to ComfyUI. */
  private paused = false;
  private readonly drainWaiters: (() => void)[] = [];

  constructor(
    private readonly pool: BackendPool,
    private readonly board: PositionBoard,
    /** Writes a job's record: done before its prompt is posted. */
    private readonly persist: (job: Job) => void | Promise<void>,
    private readonly logger: Logger,
    options: SchedulerOptions = {},
  ) {
    this.perBackend = options.perBackend ?? 2;
    if (!(this.perBackend >= 1))
      throw new RangeError(`perBackend must be at least 1, not ${this.perBackend}`);
  }

  /** Jobs waiting in our queue. */
  get waiting(): number {
    return this.queue.size;
  }

  /** Jobs of one requester waiting in our queue. */
  waitingOf(requester: string): number {
    return this.queue.sizeOf(requester);
  }

  /** Queue a job (after its record is saved); it is handed to a backend as soon as one has room. */
  enqueue(job: Job): void {
    this.queue.enqueue(job);
    this.kick();
  }

  /** Put jobs saved before a restart back in their order. */
  restore(jobs: readonly Job[]): void {
    this.queue.restore(jobs);
    this.kick();
  }

  /** A job taken up after a restart, followed on its backend. */
  adopted(job: Job): void {
    if (job.prompt) this.jobOf.set(job.prompt, job);
  }

  /**
   * A backend stayed away: prompts it gave back come back here, to the next backend that can
   * run them (pictures are uploaded there again) — those that never started, and those that
   * had started, to run again from the start (see `RelayConfig.retryRunningOnUnreachable`).
   * Each one's record says it waits here again; one started over is back to `queued`.
   */
  strandedOn(backend: ComfyBackend, prompts: readonly TrackedPrompt[]): void {
    const startedOver: Job[] = [];
    for (const prompt of prompts) {
      const job = this.jobOf.get(prompt);
      if (!job || job.isTerminal || job.prompt !== prompt) continue;
      const generation = job.generation;
      const started = generation.startedAt !== undefined;
      this.logger.info(
        started
          ? 'starting a generation over: the ComfyUI running it stayed unreachable'
          : 'moving a generation off an unreachable ComfyUI',
        { id: job.id, from: backend.id },
      );
      job.prompt = undefined;
      if (started) {
        generation.startOver(job.request.interpreter.track(job.request.graph));
        startedOver.push(job);
      } else {
        generation.backend = undefined;
        generation.submittedAt = undefined;
      }
      this.queue.enqueue(job);
      void this.persist(job);
    }
    if (startedOver.length > 0) {
      // Its subscribers see it wait again (the positions board would, a tick later, miss one
      // handed on at once).
      this.publishPositions();
      for (const job of startedOver) {
        const { id, promptId, position = 1, ahead = 0 } = job.generation;
        job.publish({ type: 'queued', id, promptId, position, ahead, startedOver: true });
      }
    }
    this.kick();
    this.checkDrained();
  }

  /** A job's prompt ended: its backend has room again. */
  released(prompt: TrackedPrompt): void {
    const backend = prompt.generation.backend;
    if (backend !== undefined) this.pool.get(backend)?.release(prompt);
    this.checkDrained();
  }

  /**
   * For a graceful shutdown: hand nothing more to ComfyUI (our queue stays as it is), and
   * resolve once none of our prompts is on a backend or on its way there.
   */
  drain(): Promise<void> {
    this.paused = true;
    return new Promise((resolve) => {
      this.drainWaiters.push(resolve);
      this.checkDrained();
    });
  }

  private checkDrained(): void {
    if (this.drainWaiters.length === 0) return;
    const busy = this.pool.backends.some(
      (backend) => backend.tracked > 0 || (this.handingOver.get(backend) ?? 0) > 0,
    );
    if (!busy) for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /** Take a waiting job out (cancel, deadline): true when it was waiting here. */
  remove(job: Job): boolean {
    const removed = this.queue.remove(job.id) !== undefined;
    if (removed) this.kick();
    return removed;
  }

  /** What no configured backend has of a job's needs, in words (empty when some backend can run it). */
  unsatisfiable(job: Job): string[] {
    const needs = this.requirementsOf(job);
    const candidates = this.candidatesFor(job);
    if (candidates.some((backend) => backend.canRun(needs))) return [];
    return [...new Set(candidates.flatMap((backend) => backend.missing(needs)))];
  }

  /** Look for work to hand out: once per tick, however many asked. */
  kick(): void {
    if (this.kicked) return;
    this.kicked = true;
    queueMicrotask(() => {
      this.kicked = false;
      this.dispatchWhatFits();
    });
  }

  private dispatchWhatFits(): void {
    // While every backend is full (the usual state behind a long queue) no job can go: asking
    // each waiting one would walk the whole queue on every tick.
    while (!this.paused && this.anyRoom()) {
      let target: ComfyBackend | undefined;
      const job = this.queue.pick((candidate) => {
        target = this.backendFor(candidate);
        return target !== undefined;
      });
      if (!job || !target) break;
      void this.dispatch(job, target);
    }
    this.publishPositions();
  }

  /** Whether some backend could take a job now (what `backendFor` asks first of each). O(backends). */
  private anyRoom(): boolean {
    return this.pool.backends.some(
      (backend) =>
        backend.accepting &&
        backend.tracked + (this.handingOver.get(backend) ?? 0) < this.perBackend,
    );
  }

  /** The least busy healthy backend with room that can run the job. */
  private backendFor(job: Job): ComfyBackend | undefined {
    const needs = this.requirementsOf(job);
    let best: ComfyBackend | undefined;
    for (const backend of this.candidatesFor(job)) {
      const busy = backend.tracked + (this.handingOver.get(backend) ?? 0);
      if (!backend.accepting || busy >= this.perBackend || !backend.canRun(needs)) continue;
      if (!best || backend.load < best.load) best = backend;
    }
    return best;
  }

  private candidatesFor(job: Job): ComfyBackend[] {
    const pinned = job.request.pinned === undefined ? undefined : this.pool.get(job.request.pinned);
    return pinned ? [pinned] : this.pool.backends;
  }

  private requirementsOf(job: Job): JobRequirements {
    let needs = this.requirements.get(job);
    if (!needs) {
      needs = requirementsOf(job.request.graph);
      this.requirements.set(job, needs);
    }
    return needs;
  }

  /** Upload its pictures there, render, register, save, post. */
  private async dispatch(job: Job, backend: ComfyBackend): Promise<void> {
    // Its needs were for choosing a backend: worked out again should it ever come back here.
    this.requirements.delete(job);
    const generation = job.generation;
    generation.backend = backend.id;
    let posting = false;
    this.handingOver.set(backend, (this.handingOver.get(backend) ?? 0) + 1);
    let handedOver = false;
    const handOver = () => {
      if (handedOver) return;
      handedOver = true;
      this.handingOver.set(backend, (this.handingOver.get(backend) ?? 1) - 1);
      queueMicrotask(() => this.checkDrained());
    };
    backend.circuit.attempt();
    try {
      const graph = await this.renderFor(job, backend);
      handOver();
      if (generation.isTerminal) return;
      job.prompt = backend.track({ generation, graph, outputs: job.request.outputs });
      this.jobOf.set(job.prompt, job);
      await this.persist(job); // its prompt_id and backend are on record before the POST
      posting = true;
      await backend.submit(job.prompt);
      backend.circuit.succeeded();
    } catch (error) {
      handOver();
      if (generation.isTerminal) return;
      if (posting && mayHaveBeenQueued(error)) {
        // The POST may have reached ComfyUI: keep following it there; reconciliation finds it
        // on the queue, or ends it as lost. Posting it again could run it twice.
        job.prompt?.followUnconfirmed();
        backend.failedToTake();
        return;
      }
      if (posting) withdrawAfterUnreadableAnswer(backend, job, error);
      if (isServersFault(error)) {
        backend.failedToTake();
        this.giveBack(job, backend, error as Error);
        return;
      }
      generation.fail(
        error instanceof PromptValidationError
          ? { code: 'validation', message: error.message }
          : { code: 'internal', message: error instanceof Error ? error.message : String(error) },
      );
      if (error instanceof ComfyRelayError) error.generationId = generation.id;
    }
  }

  /** It never reached ComfyUI: back in line, for this backend or another (a few times at most). */
  private giveBack(job: Job, backend: ComfyBackend, error: Error): void {
    job.attempts += 1;
    if (job.attempts >= MAX_ATTEMPTS) {
      if (job.prompt) backend.release(job.prompt);
      job.generation.fail({
        code: 'unreachable',
        message: `ComfyUI could not take this generation (${MAX_ATTEMPTS} tries: ${error.message}).`,
      });
      return;
    }
    this.logger.warn('could not hand a generation to ComfyUI; it waits for another try', {
      id: job.id,
      backend: backend.id,
      error: error.message,
    });
    if (job.prompt) backend.release(job.prompt);
    job.prompt = undefined;
    job.generation.backend = undefined;
    this.queue.enqueue(job);
    this.kick();
    this.checkDrained();
  }

  /** The graph it posts: pictures uploaded to this backend, then rendered with their names. */
  private async renderFor(job: Job, backend: ComfyBackend): Promise<ApiWorkflow> {
    const { definition, values, graph } = job.request;
    const pictures = Object.entries(values).filter(([, value]) => isImageInput(value));
    if (!definition || pictures.length === 0) return graph;
    const uploaded: ParameterValues = { ...values };
    for (const [name, value] of pictures) {
      if (!isImageInput(value)) continue;
      const file = await backend.http.uploadImage(value.data, value.filename, {
        subfolder: 'comfyrelay',
      });
      uploaded[name] = file.subfolder ? `${file.subfolder}/${file.name}` : file.name;
    }
    // The record names the files as the server has them: follow-ups run on them.
    job.generation.parameters = { ...job.generation.parameters, ...namesOf(uploaded) };
    return buildGraph(definition, uploaded);
  }

  /**
   * Places of the jobs waiting here: behind what the backend they are likely to go to already
   * holds (the least loaded healthy one), in fair order.
   */
  private publishPositions(): void {
    const positions: Record<string, QueuePosition> = {};
    if (this.queue.size > 0) {
      let shortest: ComfyBackend | undefined;
      for (const backend of this.pool.backends)
        if (backend.healthy && (!shortest || backend.load < shortest.load)) shortest = backend;
      const ahead = shortest?.load ?? 0;
      // Position 1 is the next to run, as on a backend's own queue: what runs is ahead, not before.
      const waitingThere = Math.max(0, ahead - (shortest?.running ?? 0));
      let index = 0;
      for (const job of this.queue.order()) {
        const slot = {
          promptId: job.generation.promptId,
          position: waitingThere + index + 1,
          ahead: ahead + index,
        };
        job.generation.setQueued(slot.position, slot.ahead);
        positions[job.id] = slot;
        index += 1;
      }
    }
    this.board.set(OWN_QUEUE, positions);
  }
}

function namesOf(values: ParameterValues): Record<string, unknown> {
  const names: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values))
    if (typeof value === 'string') names[name] = value;
  return names;
}

/**
 * A POST whose answer was lost (none in time, the connection reset or cut mid-way): ComfyUI may
 * well have queued it. Only a request that never connected surely did not arrive.
 */
function mayHaveBeenQueued(error: unknown): boolean {
  return error instanceof ComfyUnreachableError && !error.neverSent;
}

/**
 * The POST was answered 200 with something that is not ComfyUI's answer (a proxy's page, a cut
 * JSON): the generation fails with that reason, and in case ComfyUI did queue it, it is taken
 * off that queue so it does not run unseen.
 */
function withdrawAfterUnreadableAnswer(backend: ComfyBackend, job: Job, error: unknown): void {
  const queuedAs =
    error instanceof PromptIdIgnoredError
      ? error.queuedAs
      : error instanceof ComfyHttpError && error.status < 300
        ? job.generation.promptId
        : undefined;
  if (queuedAs !== undefined) backend.http.deleteFromQueue([queuedAs]).catch(() => undefined);
}

/** The server could not take the job (down, or a 5xx): another try elsewhere, not a failure. */
function isServersFault(error: unknown): boolean {
  return (
    error instanceof ComfyUnreachableError ||
    (error instanceof ComfyHttpError && error.status >= 500)
  );
}

import type { PreviewImage, PromptMessage } from '../protocol/messages.js';
import {
  isNotingTracker,
  noteMessage,
  type NotingTracker,
  type Progress,
  type ProgressTracker,
} from '../progress/Progress.js';
import type { RelayEvent } from '../events.js';
import {
  terminalStatuses,
  type GenerationFailure,
  type GenerationOrigin,
  type GenerationOutput,
  type GenerationRecord,
  type GenerationStatus,
} from './GenerationState.js';

export interface GenerationInit {
  id: string;
  promptId: string;
  /** Set when the scheduler hands it to a backend (or it was pinned to one). */
  backend?: string;
  workflow?: string;
  parameters?: Record<string, unknown>;
  origin?: GenerationOrigin;
  parentId?: string;
  action?: string;
  now?: number;
}

/** What a generation tells the engine around it. */
export interface GenerationHooks {
  publish(event: RelayEvent): void;
  /** Once, when it reached a terminal state (after its terminal event was published). */
  settled(generation: Generation): void;
}

/** Generations whose progress waits for the end of the tick (see `publishProgress`). */
let progressDue: Generation[] = [];

/**
 * One generation's state: submitted → queued(position) → running(progress) →
 * succeeded | failed | cancelled, and the events each change publishes. It knows no ComfyUI
 * message: the prompt that owns it (see TrackedPrompt) decides what happened. Never awaits.
 */
export class Generation {
  readonly id: string;
  readonly promptId: string;
  readonly workflow: string | undefined;
  /** The values it runs with (pictures by the file names the server gave them, once uploaded). */
  parameters: Record<string, unknown> | undefined;
  readonly origin: GenerationOrigin | undefined;
  readonly parentId: string | undefined;
  readonly action: string | undefined;
  readonly createdAt: number;
  /** The backend that runs it, once the scheduler chose one. */
  backend: string | undefined;
  /** When ComfyUI accepted its prompt. */
  submittedAt: number | undefined;
  status: GenerationStatus = 'submitted';
  position: number | undefined;
  /** Prompts before it, the running ones included, while it waits. */
  ahead: number | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  outputs: GenerationOutput[] | undefined;
  error: GenerationFailure | undefined;
  /** Started over once already after losing its server (see {@link startOver}). */
  retried = false;
  readonly done: Promise<GenerationRecord>;
  private resolveDone!: (record: GenerationRecord) => void;
  /**
   * Progress waiting for the end of this tick: messages read together publish once. `current`
   * when it is the tracker's current progress, built only when it is published.
   */
  private pendingProgress: Progress | 'current' | undefined;
  /** Whether the tracker takes messages without building a Progress for each (core's own). */
  private noting: boolean;

  constructor(
    init: GenerationInit,
    private tracker: ProgressTracker,
    private readonly hooks: GenerationHooks,
  ) {
    this.id = init.id;
    this.promptId = init.promptId;
    this.backend = init.backend;
    this.workflow = init.workflow;
    this.parameters = init.parameters;
    this.origin = init.origin;
    this.parentId = init.parentId;
    this.action = init.action;
    this.createdAt = init.now ?? Date.now();
    this.noting = isNotingTracker(tracker);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Take up where a record left off (after a restart): its state, its times, its retry mark. */
  resume(record: GenerationRecord & { retried?: boolean }): void {
    if (terminalStatuses.has(record.status)) return;
    this.retried = record.retried ?? false;
    this.status = record.status;
    this.startedAt = record.startedAt;
    this.submittedAt = record.submittedAt;
    this.position = record.position;
    this.ahead = record.ahead;
  }

  get isTerminal(): boolean {
    // Asked on every message: three comparisons rather than a set lookup (terminalStatuses).
    const status = this.status;
    return status === 'succeeded' || status === 'failed' || status === 'cancelled';
  }

  get progress(): Progress {
    return this.tracker.current();
  }

  /** A message of its prompt that moves the progress (the owner handles the lifecycle ones). */
  advance(message: PromptMessage, now = Date.now()): void {
    if (this.isTerminal) return;
    this.markRunning(now);
    const tracker = this.tracker;
    if (this.noting) {
      // Core's own trackers build the Progress only when it is published (see publishProgress).
      if ((tracker as NotingTracker)[noteMessage](message, now)) this.publishProgress(undefined);
      return;
    }
    const progress = tracker.onMessage(message, now);
    if (progress) this.publishProgress(progress);
  }

  showPreview(preview: PreviewImage, now = Date.now()): void {
    if (this.isTerminal) return;
    const progress = this.tracker.onPreview(preview, now);
    if (progress) this.publishProgress(progress);
  }

  /**
   * Its place in the queue; returns whether it changed. Positions are published for a whole
   * backend at once (one `positions` event), not one event per generation.
   */
  setQueued(position: number, ahead: number): boolean {
    if (this.status !== 'submitted' && this.status !== 'queued') return false;
    if (this.status === 'queued' && this.position === position && this.ahead === ahead)
      return false;
    this.status = 'queued';
    this.position = position;
    this.ahead = ahead;
    return true;
  }

  /**
   * Back to waiting, to run again from the start on any server: the one that ran it stayed
   * unreachable. What it did there is forgotten — its backend, its times, its place — and its
   * progress starts over with `tracker`. Marked {@link retried}: it is never started over twice.
   * Publishes nothing: whoever queues it again says where it waits.
   */
  startOver(tracker: ProgressTracker): void {
    if (this.isTerminal) return;
    this.retried = true;
    this.tracker = tracker;
    this.noting = isNotingTracker(tracker);
    // Progress of the run given up, not yet published: it never will be.
    this.pendingProgress = undefined;
    this.status = 'submitted';
    this.backend = undefined;
    this.submittedAt = undefined;
    this.startedAt = undefined;
    this.position = undefined;
    this.ahead = undefined;
  }

  /** Mark running (idempotent): after a reconnect, the first sign of life may be a progress message. */
  markRunning(now = Date.now()): void {
    if (this.status === 'running' || this.isTerminal) return;
    this.status = 'running';
    this.position = undefined;
    this.ahead = undefined;
    this.startedAt = now;
    this.hooks.publish({ type: 'started', id: this.id, promptId: this.promptId });
  }

  succeed(outputs: GenerationOutput[]): void {
    if (this.isTerminal) return;
    this.outputs = outputs;
    this.publishProgress(this.tracker.complete());
    this.settle('succeeded', { type: 'succeeded', id: this.id, promptId: this.promptId, outputs });
  }

  fail(failure: GenerationFailure): void {
    if (this.isTerminal) return;
    this.error = failure;
    this.settle('failed', { type: 'failed', id: this.id, promptId: this.promptId, error: failure });
  }

  cancel(): void {
    if (this.isTerminal) return;
    this.settle('cancelled', { type: 'cancelled', id: this.id, promptId: this.promptId });
  }

  toRecord(): GenerationRecord {
    const current = this.tracker.current();
    // Core's own trackers build every Progress with the same keys: copied by name, which is
    // faster than a rest spread (that any other tracker's Progress gets, whatever its keys).
    const progress = this.noting ? progressRecord(current) : withoutPreview(current);
    const record: GenerationRecord = {
      id: this.id,
      promptId: this.promptId,
      status: this.status,
      createdAt: this.createdAt,
      progress,
    };
    if (this.backend !== undefined) record.backend = this.backend;
    if (this.workflow) record.workflow = this.workflow;
    if (this.parentId !== undefined) record.parentId = this.parentId;
    if (this.action !== undefined) record.action = this.action;
    if (this.submittedAt !== undefined) record.submittedAt = this.submittedAt;
    if (this.parameters) record.parameters = this.parameters;
    if (this.origin) record.origin = this.origin;
    if (this.position !== undefined) record.position = this.position;
    if (this.ahead !== undefined) record.ahead = this.ahead;
    if (this.outputs) record.outputs = this.outputs;
    if (this.error) record.error = this.error;
    if (this.startedAt !== undefined) record.startedAt = this.startedAt;
    if (this.finishedAt !== undefined) record.finishedAt = this.finishedAt;
    return record;
  }

  /**
   * Superseded progress would be coalesced by the broadcaster anyway: publishing only the last
   * progress of each tick (a socket read often carries several messages) saves the work. Every
   * generation with progress waiting is flushed by one microtask at the end of the tick.
   */
  private publishProgress(progress: Progress | undefined): void {
    if (this.pendingProgress === undefined && progressDue.push(this) === 1)
      queueMicrotask(Generation.flushDue);
    this.pendingProgress = progress ?? 'current';
  }

  private flushProgress(): void {
    const pending = this.pendingProgress;
    if (pending === undefined) return;
    this.pendingProgress = undefined;
    const progress = pending === 'current' ? this.tracker.current() : pending;
    this.hooks.publish({ type: 'progress', id: this.id, promptId: this.promptId, progress });
  }

  /** Publish the progress every generation left waiting this tick, in the order it came. */
  private static flushDue(): void {
    const due = progressDue;
    progressDue = [];
    for (const generation of due) {
      try {
        generation.flushProgress();
      } catch (error) {
        // As if each had its own microtask: one that throws does not keep the others waiting.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private settle(status: GenerationStatus, event: RelayEvent): void {
    this.flushProgress();
    this.status = status;
    this.finishedAt = Date.now();
    this.position = undefined;
    this.ahead = undefined;
    this.hooks.publish(event);
    this.hooks.settled(this);
    this.resolveDone(this.toRecord());
  }
}

/** A Progress of core's own trackers without its preview, as a record keeps it. */
function progressRecord(progress: Progress): Omit<Progress, 'preview'> {
  return {
    fraction: progress.fraction,
    phase: progress.phase,
    node: progress.node,
    nodeClass: progress.nodeClass,
    step: progress.step,
    stepTotal: progress.stepTotal,
    etaMs: progress.etaMs,
  };
}

function withoutPreview(progress: Progress): Omit<Progress, 'preview'> {
  const { preview: _preview, ...rest } = progress;
  return rest;
}

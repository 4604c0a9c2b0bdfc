import type { PreviewImage, PromptMessage } from '../protocol/messages.js';
import type { Progress, ProgressTracker } from '../progress/Progress.js';
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
  readonly done: Promise<GenerationRecord>;
  private resolveDone!: (record: GenerationRecord) => void;
  /** Progress waiting for the end of this tick: messages read together publish once. */
  private pendingProgress: Progress | undefined;

  constructor(
    init: GenerationInit,
    private readonly tracker: ProgressTracker,
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
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Take up where a record left off (after a restart): its state and its times. */
  resume(record: GenerationRecord): void {
    if (terminalStatuses.has(record.status)) return;
    this.status = record.status;
    this.startedAt = record.startedAt;
    this.submittedAt = record.submittedAt;
    this.position = record.position;
    this.ahead = record.ahead;
  }

  get isTerminal(): boolean {
    return terminalStatuses.has(this.status);
  }

  get progress(): Progress {
    return this.tracker.current();
  }

  /** A message of its prompt that moves the progress (the owner handles the lifecycle ones). */
  advance(message: PromptMessage, now = Date.now()): void {
    if (this.isTerminal) return;
    this.markRunning(now);
    const progress = this.tracker.onMessage(message, now);
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
    const { preview: _preview, ...progress } = this.tracker.current();
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
   * progress of each tick (a socket read often carries several messages) saves the work.
   */
  private publishProgress(progress: Progress): void {
    const scheduled = this.pendingProgress !== undefined;
    this.pendingProgress = progress;
    if (!scheduled) queueMicrotask(this.flushProgress);
  }

  private readonly flushProgress = (): void => {
    const progress = this.pendingProgress;
    if (progress === undefined) return;
    this.pendingProgress = undefined;
    this.hooks.publish({ type: 'progress', id: this.id, promptId: this.promptId, progress });
  };

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

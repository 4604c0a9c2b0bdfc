import type { ApiWorkflow } from '../protocol/graph.js';
import type { NodeOutput, PreviewImage, PromptMessage } from '../protocol/messages.js';
import type { Progress, ProgressTracker } from '../progress/Progress.js';
import type { RelayEvent } from '../events.js';
import {
  terminalStatuses,
  type GenerationFailure,
  type GenerationOutput,
  type GenerationRecord,
  type GenerationStatus,
} from './GenerationState.js';

/** What a generation needs from the engine around it. */
export interface GenerationHooks {
  publish(event: RelayEvent): void;
  /** ComfyUI reported success: collect the outputs (history, then `/view`) and settle. */
  onExecutionSuccess(generation: Generation): void;
  onTerminal(generation: Generation): void;
}

export interface GenerationInit {
  id: string;
  promptId: string;
  backend: string;
  graph: ApiWorkflow;
  workflow?: string;
  parameters?: Record<string, unknown>;
  origin?: Record<string, unknown>;
  now?: number;
}

/**
 * One generation's life: submitted → queued(position) → running(progress) →
 * succeeded | failed | cancelled. Fed synchronously by the router; never awaits anyone.
 */
export class Generation {
  readonly id: string;
  readonly promptId: string;
  readonly graph: ApiWorkflow;
  readonly workflow: string | undefined;
  readonly parameters: Record<string, unknown> | undefined;
  readonly origin: Record<string, unknown> | undefined;
  readonly createdAt: number;
  backend: string;
  status: GenerationStatus = 'submitted';
  position: number | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  outputs: GenerationOutput[] | undefined;
  error: GenerationFailure | undefined;
  /** Outputs announced by `executed` messages: the fallback when history has none. */
  readonly announcedOutputs = new Map<string, NodeOutput>();
  cancelRequested = false;
  /** Set once ComfyUI said success and the outputs are being fetched. */
  finishing = false;
  /** Whether any message of this prompt reached us (a deaf socket hears none). */
  heard = false;
  /** `performance.now()` when ComfyUI accepted the prompt; unset while it is being posted. */
  acceptedAt: number | undefined;
  /** Posted again once after a restarted ComfyUI lost it before it started. */
  resubmitted = false;
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
    this.graph = init.graph;
    this.workflow = init.workflow;
    this.parameters = init.parameters;
    this.origin = init.origin;
    this.createdAt = init.now ?? Date.now();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get isTerminal(): boolean {
    return terminalStatuses.has(this.status);
  }

  get progress(): Progress {
    return this.tracker.current();
  }

  handle(message: PromptMessage): void {
    if (this.isTerminal) return;
    this.heard = true;
    const now = Date.now();
    switch (message.type) {
      case 'execution_start':
        this.markRunning(now);
        return;
      case 'execution_success':
        this.succeedOnServer();
        return;
      case 'execution_error': {
        const { node_id, node_type, exception_message, exception_type } = message.data;
        const reason = exception_message.trim() || exception_type;
        this.fail({
          code: 'execution',
          message: `${node_type} (node ${node_id}) failed: ${reason}`,
          node: node_id,
          nodeClass: node_type,
        });
        return;
      }
      case 'execution_interrupted':
        if (this.cancelRequested) this.cancel();
        else
          this.fail({
            code: 'execution',
            message: 'ComfyUI stopped this generation (it was interrupted on the server).',
            node: message.data.node_id,
            nodeClass: message.data.node_type,
          });
        return;
      case 'executing':
        // `node: null` closes the prompt; servers that send no execution_success end here.
        if (message.data.node === null) {
          this.succeedOnServer();
          return;
        }
        break;
      case 'executed':
        if (message.data.output) this.announcedOutputs.set(message.data.node, message.data.output);
        break;
    }
    this.markRunning(now);
    const progress = this.tracker.onMessage(message, now);
    if (progress) this.publishProgress(progress);
  }

  handlePreview(preview: PreviewImage): void {
    if (this.isTerminal || this.finishing) return;
    this.heard = true;
    const progress = this.tracker.onPreview(preview, Date.now());
    if (progress) this.publishProgress(progress);
  }

  setQueued(position: number, ahead: number): void {
    if (this.status !== 'submitted' && this.status !== 'queued') return;
    if (this.status === 'queued' && this.position === position) return;
    this.status = 'queued';
    this.position = position;
    this.hooks.publish({ type: 'queued', id: this.id, promptId: this.promptId, position, ahead });
  }

  /** Mark running (idempotent): after a reconnect, the first sign of life may be a progress message. */
  markRunning(now = Date.now()): void {
    if (this.status === 'running' || this.isTerminal) return;
    this.status = 'running';
    this.position = undefined;
    this.startedAt = now;
    this.hooks.publish({ type: 'started', id: this.id, promptId: this.promptId });
  }

  succeed(outputs: GenerationOutput[]): void {
    if (this.isTerminal) return;
    this.outputs = outputs;
    const progress = this.tracker.complete();
    this.publishProgress(progress);
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
      backend: this.backend,
      status: this.status,
      createdAt: this.createdAt,
      progress,
    };
    if (this.workflow) record.workflow = this.workflow;
    if (this.parameters) record.parameters = this.parameters;
    if (this.origin) record.origin = this.origin;
    if (this.position !== undefined) record.position = this.position;
    if (this.outputs) record.outputs = this.outputs;
    if (this.error) record.error = this.error;
    if (this.startedAt !== undefined) record.startedAt = this.startedAt;
    if (this.finishedAt !== undefined) record.finishedAt = this.finishedAt;
    return record;
  }

  private succeedOnServer(): void {
    if (this.finishing) return;
    this.finishing = true;
    this.markRunning();
    this.hooks.onExecutionSuccess(this);
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
    this.hooks.publish(event);
    this.hooks.onTerminal(this);
    this.resolveDone(this.toRecord());
  }
}

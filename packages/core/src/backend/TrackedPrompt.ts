import type { Generation } from '../generation/Generation.js';
import type { GenerationFailure } from '../generation/GenerationState.js';
import type { ComfyHttpClient } from '../http/ComfyHttpClient.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import type {
  ExecutionErrorMessage,
  ExecutionInterruptedMessage,
  NodeOutput,
  PreviewImage,
  PromptMessage,
} from '../protocol/messages.js';
import type { HistoryEntry } from '../protocol/rest.js';
import type { PromptSink } from '../router/PromptRouter.js';
import { delay } from '../util/delay.js';
import type { OutputSpec } from '../workflow/WorkflowDefinition.js';
import { collectOutputs } from './collectOutputs.js';
import type { WatchedPrompt } from './LivenessMonitor.js';
import type { QueueView } from './QueueTracker.js';

/** What a prompt needs from the backend it runs on. */
export interface PromptHost {
  readonly id: string;
  readonly http: ComfyHttpClient;
  readonly clientId: string;
  /** ComfyUI accepted a prompt: expect its `status`, refresh positions. */
  accepted(prompt: TrackedPrompt): void;
  freshQueue(): Promise<QueueView>;
  /** A history entry, asked up to `attempts` times until `ready` accepts it (it can lag). */
  readHistory(
    promptId: string,
    attempts: number,
    ready?: (entry: HistoryEntry) => boolean,
  ): Promise<HistoryEntry | undefined>;
  readonly historyAttempts: number;
  readonly cancelConfirmMs: number;
}

export interface TrackedPromptInit {
  /** The generation whose prompt this is (its state and events). */
  generation: Generation;
  /** The graph posted: images already uploaded to this backend. */
  graph: ApiWorkflow;
  outputs: readonly OutputSpec[];
}

/**
 * One prompt's life on one backend, from register to release: the router's sink for its
 * messages, the outputs it declares, its post, and how it ends — a live terminal message, its
 * history entry (read once), a cancel, or loss. The {@link Generation} holds the state and
 * publishes the events; its job (comfyrelay's queue, the deadline) hands it to the backend.
 */
export class TrackedPrompt implements PromptSink, WatchedPrompt {
  readonly generation: Generation;
  readonly graph: ApiWorkflow;
  /** Any message of this prompt reached us (a deaf socket hears none). */
  heard = false;
  /** `performance.now()` when ComfyUI accepted it; unset while it is being posted. */
  acceptedAt: number | undefined;
  /** Posted again once after a restarted ComfyUI lost it before it started. */
  resubmitted = false;
  /** ComfyUI said it succeeded; its outputs are being collected. */
  finishing = false;
  /** Its end is being read from `/history`: no other check judges it meanwhile. */
  settling = false;
  private cancelRequested = false;
  private posting: Promise<void> | undefined;
  /** Outputs announced by `executed` messages: the fallback when history has none. */
  private readonly announced = new Map<string, NodeOutput>();
  private readonly outputSpecs: readonly OutputSpec[];

  constructor(
    init: TrackedPromptInit,
    private readonly host: PromptHost,
  ) {
    this.graph = init.graph;
    this.outputSpecs = init.outputs;
    this.generation = init.generation;
  }

  get promptId(): string {
    return this.generation.promptId;
  }

  get isTerminal(): boolean {
    return this.generation.isTerminal;
  }

  /** Post the graph; resolves once ComfyUI accepted it, rejects with the HTTP error. */
  async post(): Promise<void> {
    this.acceptedAt = undefined;
    const posting = this.host.http.submitPrompt({
      prompt: this.graph,
      clientId: this.host.clientId,
      promptId: this.promptId,
      extraData: { comfyrelay_generation: this.generation.id },
    });
    this.posting = posting.then(
      () => undefined,
      () => undefined,
    );
    try {
      await posting;
      this.acceptedAt = performance.now();
      this.generation.submittedAt = Date.now();
      this.host.accepted(this);
    } finally {
      this.posting = undefined;
    }
  }

  get isPosting(): boolean {
    return this.posting !== undefined;
  }

  handle(message: PromptMessage): void {
    const generation = this.generation;
    if (generation.isTerminal) return;
    this.heard = true;
    switch (message.type) {
      case 'execution_start':
        generation.markRunning();
        return;
      case 'execution_success':
        this.finish();
        return;
      case 'execution_error':
        generation.fail(failureOf(message.data));
        return;
      case 'execution_interrupted':
        this.interrupted(message.data);
        return;
      case 'executing':
        // `node: null` closes the prompt; servers that send no execution_success end here.
        if (message.data.node === null) {
          this.finish();
          return;
        }
        break;
      case 'executed':
        if (message.data.output) this.announced.set(message.data.node, message.data.output);
        break;
    }
    generation.advance(message);
  }

  handlePreview(preview: PreviewImage): void {
    if (this.generation.isTerminal || this.finishing) return;
    this.heard = true;
    this.generation.showPreview(preview);
  }

  /** End it as its history entry says: success (outputs from that same entry), error or interruption. */
  settleFrom(entry: HistoryEntry): void {
    if (this.generation.isTerminal || this.finishing) return;
    const messages = entry.status?.messages ?? [];
    const terminal = messages.find(
      ([type]) => type === 'execution_error' || type === 'execution_interrupted',
    );
    if (entry.status?.status_str === 'success' || (!terminal && entry.status?.completed)) {
      this.finish(entry);
      return;
    }
    if (terminal?.[0] === 'execution_error')
      this.generation.fail(failureOf(terminal[1] as ExecutionErrorMessage['data']));
    else if (terminal?.[0] === 'execution_interrupted')
      this.interrupted(terminal[1] as ExecutionInterruptedMessage['data']);
    else
      this.generation.fail({
        code: 'execution',
        message: 'ComfyUI reported this generation as failed.',
      });
  }

  fail(failure: GenerationFailure): void {
    this.generation.fail(failure);
  }

  /** Cancel: delete it if pending, interrupt it if running, then confirm. Resolves true when cancelled. */
  async cancel(): Promise<boolean> {
    const generation = this.generation;
    if (generation.isTerminal) return generation.status === 'cancelled';
    this.cancelRequested = true;
    await this.posting;
    if (generation.isTerminal) return generation.status === 'cancelled';

    let view = await this.host.freshQueue();
    if (view.pending.includes(this.promptId)) {
      await this.host.http.deleteFromQueue([this.promptId]);
      view = await this.host.freshQueue();
      if (!view.pending.includes(this.promptId) && !view.running.includes(this.promptId)) {
        const entry = await this.host.http.getHistoryEntry(this.promptId);
        if (!entry) generation.cancel();
        else this.settleFrom(entry);
        return generation.status === 'cancelled';
      }
    }
    if (view.running.includes(this.promptId) || generation.status === 'running') {
      await this.host.http.interrupt(this.promptId);
      await Promise.race([generation.done, delay(this.host.cancelConfirmMs)]);
      if (!generation.isTerminal) {
        const entry = await this.host.http.getHistoryEntry(this.promptId);
        if (entry) this.settleFrom(entry);
      }
    }
    return generation.status === 'cancelled';
  }

  /** Take it off the server whatever its state: delete it if pending, interrupt it if running. */
  async withdraw(): Promise<void> {
    await this.posting;
    const view = await this.host.freshQueue();
    if (view.pending.includes(this.promptId)) await this.host.http.deleteFromQueue([this.promptId]);
    else if (view.running.includes(this.promptId)) await this.host.http.interrupt(this.promptId);
  }

  private finish(entry?: HistoryEntry): void {
    if (this.finishing) return;
    this.finishing = true;
    this.generation.markRunning();
    void this.collectOutputs(entry);
  }

  /** Outputs come from history (retried briefly: it can lag), else from the `executed` messages. */
  private async collectOutputs(known?: HistoryEntry): Promise<void> {
    const entry =
      known && hasOutputs(known)
        ? known
        : await this.host.readHistory(this.promptId, this.host.historyAttempts, hasOutputs);
    const raw = entry && hasOutputs(entry) ? entry.outputs : Object.fromEntries(this.announced);
    const outputs = collectOutputs(raw, this.host.id, [...this.outputSpecs]);
    if (outputs.length === 0)
      this.generation.fail({
        code: 'no-outputs',
        message: 'ComfyUI finished but produced no output files.',
      });
    else this.generation.succeed(outputs);
  }

  private interrupted(data: ExecutionInterruptedMessage['data']): void {
    if (this.cancelRequested) this.generation.cancel();
    else
      this.generation.fail({
        code: 'execution',
        message: 'ComfyUI stopped this generation (it was interrupted on the server).',
        node: data.node_id,
        nodeClass: data.node_type,
      });
  }
}

function failureOf(data: ExecutionErrorMessage['data']): GenerationFailure {
  const { node_id, node_type, exception_message, exception_type } = data;
  // Defensive: a history entry's message may lack fields a live one always has.
  const reason = String(exception_message ?? '').trim() || String(exception_type ?? 'an error');
  return {
    code: 'execution',
    message: `${node_type} (node ${node_id}) failed: ${reason}`,
    node: node_id,
    nodeClass: node_type,
  };
}

function hasOutputs(entry: HistoryEntry): boolean {
  return Object.keys(entry.outputs).length > 0;
}

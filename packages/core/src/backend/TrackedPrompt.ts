import type { Generation } from '../generation/Generation.js';
import type { GenerationFailure } from '../generation/GenerationState.js';
import type { ComfyHttpClient } from '../http/ComfyHttpClient.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import type { NodeOutput, PreviewImage, PromptMessage } from '../protocol/messages.js';
import type { HistoryEntry } from '../protocol/rest.js';
import { readComfyMessage, type PromptSink } from '../router/PromptRouter.js';
import { delay } from '../util/delay.js';
import type { Logger } from '../util/Logger.js';
import type { OutputSpec } from '../workflow/WorkflowDefinition.js';
import { collectOutputs, outputsUnreadable } from './collectOutputs.js';
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
  /**
   * A prompt that ended live and needs its history read: the host calls its `collect()` once
   * the socket has caught up with the server (one read for every prompt that ended meanwhile,
   * none while frames pour in). Without it, outputs are collected at once.
   */
  collectLater?(prompt: TrackedPrompt): void;
  /** Where an answer of ComfyUI's that could not be read is noted (one line each). */
  readonly logger?: Logger;
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
  /** Its POST got no answer (none in time, or cut): ComfyUI may or may not hold it. */
  postUnconfirmed = false;
  /** ComfyUI said it succeeded; its outputs are being collected. */
  finishing = false;
  /** Its end is being read from `/history`: no other check judges it meanwhile. */
  settling = false;
  private cancelRequested = false;
  private posting: Promise<void> | undefined;
  /** Outputs announced by `executed` messages: the fallback when history has none (made by the first). */
  private announced: Map<string, NodeOutput> | undefined;
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

  /**
   * Its POST's answer was lost: follow it as if accepted. ComfyUI's queue and history tell
   * whether it holds the prompt; one it does not hold is posted again, once (never twice).
   */
  followUnconfirmed(): void {
    this.acceptedAt = performance.now();
    this.postUnconfirmed = true;
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
      this.postUnconfirmed = false;
      this.generation.submittedAt = Date.now();
      this.host.accepted(this);
    } finally {
      this.posting = undefined;
    }
  }

  get isPosting(): boolean {
    return this.posting !== undefined;
  }

  handle(raw: PromptMessage): void {
    if (this.generation.isTerminal) return;
    // The router hands over only messages it could read (through `handleRead`); this holds for
    // any other caller too.
    const message = readComfyMessage(raw) as PromptMessage | string;
    if (typeof message === 'string') return;
    this.handleRead(message);
  }

  /** A message `readComfyMessage` already read (what the router hands over). */
  handleRead(message: PromptMessage): void {
    const generation = this.generation;
    if (generation.isTerminal || !promptMessageTypes.has(message.type)) return;
    const data = message.data as { prompt_id?: string };
    if (data.prompt_id !== undefined && data.prompt_id !== this.promptId) return;
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
        if (message.data.output)
          (this.announced ??= new Map()).set(message.data.node, message.data.output);
        break;
    }
    generation.advance(message);
  }

  handlePreview(preview: PreviewImage): void {
    if (this.generation.isTerminal || this.finishing) return;
    this.heard = true;
    this.generation.showPreview(preview);
  }

  /**
   * End it as its history entry says: success (outputs from that same entry), error or
   * interruption. An entry whose status cannot be read ends it too, in words: it has left
   * ComfyUI's queue and nothing else will tell how it went.
   */
  settleFrom(entry: HistoryEntry): void {
    if (this.generation.isTerminal || this.finishing) return;
    const end = endOf(entry);
    switch (end.kind) {
      case 'success':
        this.finish(entry);
        return;
      case 'error':
        this.generation.fail(failureOf(end.data));
        return;
      case 'interrupted':
        this.interrupted(end.data);
        return;
      case 'failed':
        this.generation.fail({
          code: 'execution',
          message: end.detailsUnreadable
            ? 'ComfyUI reported this generation as failed (its details could not be read).'
            : 'ComfyUI reported this generation as failed.',
        });
        return;
      case 'unreadable':
        this.host.logger?.warn("ComfyUI's history entry for a prompt could not be read", {
          promptId: this.promptId,
          problem: end.why,
        });
        this.generation.fail({
          code: 'execution',
          message: `ComfyUI's answer for this generation could not be read (${end.why}), so how it ended is unknown. Please try again.`,
        });
        return;
    }
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
    if (entry === undefined && this.host.collectLater) this.host.collectLater(this);
    else this.collect(entry);
  }

  /** Collect its outputs and end it (see `finish`; its host calls this for `collectLater`). */
  collect(entry?: HistoryEntry): void {
    // Ended meanwhile (cancelled, past its deadline): there is nothing left to collect.
    if (this.generation.isTerminal) return;
    this.collectOutputs(entry).catch((error: unknown) => {
      // Nothing here should throw; if something does, the generation still ends, in words.
      this.host.logger?.warn('could not collect the outputs of a finished prompt', {
        promptId: this.promptId,
        error: error instanceof Error ? error.message : String(error),
      });
      this.generation.fail({
        code: 'internal',
        message: 'ComfyUI finished this generation, but its output files could not be collected.',
      });
    });
  }

  /**
   * Outputs come from history (retried briefly: it can lag), else from the `executed` messages.
   * A history entry whose outputs cannot be read, with nothing announced live, fails in words.
   */
  private async collectOutputs(known?: HistoryEntry): Promise<void> {
    const entry =
      known && hasOutputs(known)
        ? known
        : await this.host
            .readHistory(this.promptId, this.host.historyAttempts, hasOutputs)
            .catch((error: unknown) => {
              // Unreadable history: what was announced live is all there is.
              this.host.logger?.warn("could not read ComfyUI's history of a finished prompt", {
                promptId: this.promptId,
                error: error instanceof Error ? error.message : String(error),
              });
              return undefined;
            });
    if (this.generation.isTerminal) return;
    const specs = [...this.outputSpecs];
    const fromHistory =
      entry && hasOutputs(entry) ? collectOutputs(entry.outputs, this.host.id, specs) : [];
    const outputs =
      fromHistory.length > 0
        ? fromHistory
        : collectOutputs(Object.fromEntries(this.announced ?? []), this.host.id, specs);
    if (outputs.length > 0) {
      this.generation.succeed(outputs);
      return;
    }
    const unreadable =
      entry !== undefined && outputsUnreadable(isRecord(entry) ? entry.outputs : entry);
    if (unreadable) {
      this.host.logger?.warn(
        "the outputs in ComfyUI's history entry for a prompt could not be read",
        {
          promptId: this.promptId,
        },
      );
      this.generation.fail({
        code: 'no-outputs',
        message:
          'ComfyUI finished this generation, but its answer naming the output files could not be read.',
      });
    } else
      this.generation.fail({
        code: 'no-outputs',
        message: 'ComfyUI finished but produced no output files.',
      });
  }

  private interrupted(data: unknown): void {
    if (this.cancelRequested) this.generation.cancel();
    else
      this.generation.fail({
        code: 'interrupted',
        message: 'ComfyUI stopped this generation (it was interrupted on the server).',
        ...nodeOf(data),
      });
  }
}

const promptMessageTypes: ReadonlySet<string> = new Set<PromptMessage['type']>([
  'execution_start',
  'execution_cached',
  'executing',
  'progress',
  'progress_state',
  'executed',
  'execution_success',
  'execution_error',
  'execution_interrupted',
]);

/** Words from ComfyUI (an exception message, a node type) are cut to what a chat can show. */
const MAX_REASON = 400;
const MAX_NAME = 100;

function clip(value: unknown, max: number): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

function nodeOf(data: unknown): { node?: string; nodeClass?: string } {
  const record = isRecord(data) ? data : {};
  const node = clip(record['node_id'], MAX_NAME);
  const nodeClass = clip(record['node_type'], MAX_NAME);
  return { ...(node ? { node } : {}), ...(nodeClass ? { nodeClass } : {}) };
}

function failureOf(data: unknown): GenerationFailure {
  // Defensive: a history entry's message may lack fields a live one always has.
  const record: Record<string, unknown> = isRecord(data) ? data : {};
  const { node, nodeClass } = nodeOf(record);
  const reason =
    clip(record['exception_message'], MAX_REASON) || clip(record['exception_type'], MAX_NAME);
  const where =
    nodeClass && node ? `${nodeClass} (node ${node})` : nodeClass || (node ? `node ${node}` : '');
  const message = where
    ? `${where} failed: ${reason || 'an error (its details could not be read)'}`
    : reason
      ? `ComfyUI reported an error: ${reason}`
      : 'ComfyUI reported an error in this generation (its details could not be read).';
  return {
    code: 'execution',
    message,
    ...(node ? { node } : {}),
    ...(nodeClass ? { nodeClass } : {}),
  };
}

type HistoryEnd =
  | { kind: 'success' }
  | { kind: 'error'; data: Record<string, unknown> }
  | { kind: 'interrupted'; data: Record<string, unknown> }
  | { kind: 'failed'; detailsUnreadable: boolean }
  | { kind: 'unreadable'; why: string };

/** How a history entry says its prompt ended, read from whatever ComfyUI (or a proxy) sent. */
function endOf(entry: unknown): HistoryEnd {
  if (!isRecord(entry)) return { kind: 'unreadable', why: 'its history entry is not an object' };
  const status = entry['status'];
  if (!isRecord(status)) return { kind: 'unreadable', why: 'its history entry has no status' };
  const statusStr = status['status_str'];
  const completed = status['completed'];
  const messages = status['messages'];
  let terminal: [string, unknown] | undefined;
  if (Array.isArray(messages))
    for (const item of messages) {
      if (!Array.isArray(item)) continue;
      const type: unknown = item[0];
      if (type === 'execution_error' || type === 'execution_interrupted') {
        terminal = [type, item[1]];
        break;
      }
    }
  if (statusStr === 'success' || (!terminal && completed === true)) return { kind: 'success' };
  if (terminal?.[0] === 'execution_error')
    return { kind: 'error', data: isRecord(terminal[1]) ? terminal[1] : {} };
  if (terminal?.[0] === 'execution_interrupted')
    return { kind: 'interrupted', data: isRecord(terminal[1]) ? terminal[1] : {} };
  if (typeof statusStr !== 'string' && typeof completed !== 'boolean')
    return { kind: 'unreadable', why: 'its history entry has no readable status' };
  return { kind: 'failed', detailsUnreadable: !Array.isArray(messages) };
}

function hasOutputs(entry: HistoryEntry): boolean {
  if (!isRecord(entry)) return false;
  const outputs: unknown = entry.outputs;
  if (!isRecord(outputs)) return false;
  for (const _ in outputs) return true;
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

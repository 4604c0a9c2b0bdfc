import {
  ComfyConnection,
  type ComfyConnectionOptions,
  type ConnectionState,
} from '../connection/ComfyConnection.js';
import { ComfyHttpClient } from '../http/ComfyHttpClient.js';
import { PromptRouter } from '../router/PromptRouter.js';
import type { Generation } from '../generation/Generation.js';
import type { ApiWorkflow } from '../protocol/graph.js';
import type { FileRef, StatusMessage } from '../protocol/messages.js';
import type { HistoryEntry } from '../protocol/rest.js';
import type { OutputSpec } from '../workflow/WorkflowDefinition.js';
import type { RelayEvent } from '../events.js';
import { delay } from '../util/delay.js';
import type { Logger } from '../util/Logger.js';
import { QueueTracker, type QueueView } from './QueueTracker.js';
import { collectOutputs } from './collectOutputs.js';
import { HistoryFetcher } from './HistoryFetcher.js';

export interface ComfyBackendOptions {
  id: string;
  url: string;
  clientId: string;
  logger: Logger;
  publish: (event: RelayEvent) => void;
  httpTimeoutMs?: number;
  connection?: Omit<ComfyConnectionOptions, 'baseUrl' | 'clientId' | 'logger'>;
  /** Retries of an empty `/history` answer after success (default 10 × 100 ms). */
  historyRetries?: number;
  historyRetryDelayMs?: number;
  /** How long a cancel waits for ComfyUI to confirm (default 10 s). */
  cancelConfirmMs?: number;
}

/** One ComfyUI server: its HTTP client, its one socket, its router and its queue view. */
export class ComfyBackend {
  readonly id: string;
  readonly url: string;
  readonly http: ComfyHttpClient;
  readonly connection: ComfyConnection;
  readonly router: PromptRouter;
  readonly queue: QueueTracker;
  private readonly history: HistoryFetcher;
  private readonly generations = new Map<string, Generation>();
  private readonly outputSpecs = new Map<string, OutputSpec[]>();
  private readonly submitting = new Map<string, Promise<unknown>>();
  private readonly logger: Logger;
  private readonly publish: (event: RelayEvent) => void;
  private readonly historyRetries: number;
  private readonly historyRetryDelayMs: number;
  private readonly cancelConfirmMs: number;
  private queueRemaining = 0;

  constructor(options: ComfyBackendOptions) {
    this.id = options.id;
    this.url = options.url;
    this.logger = options.logger;
    this.publish = options.publish;
    this.historyRetries = options.historyRetries ?? 10;
    this.historyRetryDelayMs = options.historyRetryDelayMs ?? 100;
    this.cancelConfirmMs = options.cancelConfirmMs ?? 10_000;
    this.http = new ComfyHttpClient({
      baseUrl: options.url,
      ...(options.httpTimeoutMs ? { timeoutMs: options.httpTimeoutMs } : {}),
    });
    this.connection = new ComfyConnection({
      ...options.connection,
      baseUrl: options.url,
      clientId: options.clientId,
      logger: options.logger,
    });
    this.router = new PromptRouter({ onStatus: (message) => this.onStatus(message) });
    this.queue = new QueueTracker(this.http, (view) => this.applyQueue(view), options.logger);
    this.history = new HistoryFetcher(this.http, options.logger);

    this.connection.on('message', (message) => this.router.route(message));
    this.connection.on('preview', (preview) => this.router.routePreview(preview));
    this.connection.on('reconnected', () => void this.reconcile());
    this.connection.on('state', (change) =>
      this.publish({
        type: 'backend',
        backend: this.id,
        state: change.state,
        ...(change.reason ? { reason: change.reason } : {}),
        queueRemaining: this.queueRemaining,
      }),
    );
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  get healthy(): boolean {
    return this.connection.isOpen;
  }

  /** How busy this server is: its queue plus what we are submitting to it right now. */
  get load(): number {
    return Math.max(this.queueRemaining, this.queue.length) + this.submitting.size;
  }

  get tracked(): number {
    return this.generations.size;
  }

  start(): void {
    this.connection.start();
  }

  async stop(): Promise<void> {
    await this.connection.stop();
  }

  /**
   * Register the generation with the router, THEN post: ComfyUI may send its first messages
   * before it answers the POST. Rejects with the HTTP error (the caller fails the generation).
   */
  async submit(
    generation: Generation,
    graph: ApiWorkflow,
    outputs: OutputSpec[] = [],
  ): Promise<void> {
    this.generations.set(generation.promptId, generation);
    this.outputSpecs.set(generation.promptId, outputs);
    this.router.register(generation.promptId, generation);
    const posting = this.http.submitPrompt({
      prompt: graph,
      clientId: this.connection.clientId,
      promptId: generation.promptId,
      extraData: { comfyrelay_generation: generation.id },
    });
    this.submitting.set(generation.promptId, posting);
    try {
      await posting;
      this.connection.expectActivity();
      void this.queue.refresh();
    } finally {
      this.submitting.delete(generation.promptId);
    }
  }

  /** Forget a generation that reached a terminal state. */
  release(generation: Generation): void {
    this.generations.delete(generation.promptId);
    this.outputSpecs.delete(generation.promptId);
    this.router.unregister(generation.promptId);
  }

  /** Cancel: delete if pending, interrupt by prompt_id if running, then confirm. */
  async cancel(generation: Generation): Promise<boolean> {
    if (generation.isTerminal) return generation.status === 'cancelled';
    generation.cancelRequested = true;
    await this.submitting.get(generation.promptId)?.catch(() => undefined);
    if (generation.isTerminal) return generation.status === 'cancelled';

    let view = await this.freshQueue();
    if (view.pending.includes(generation.promptId)) {
      await this.http.deleteFromQueue([generation.promptId]);
      view = await this.freshQueue();
      if (
        !view.pending.includes(generation.promptId) &&
        !view.running.includes(generation.promptId)
      ) {
        const entry = await this.http.getHistoryEntry(generation.promptId);
        if (!entry) generation.cancel();
        else this.settleFromHistory(generation, entry);
        return generation.status === 'cancelled';
      }
    }
    if (view.running.includes(generation.promptId) || generation.status === 'running') {
      await this.http.interrupt(generation.promptId);
      await Promise.race([generation.done, delay(this.cancelConfirmMs)]);
      if (!generation.isTerminal) {
        const entry = await this.http.getHistoryEntry(generation.promptId);
        if (entry) this.settleFromHistory(generation, entry);
      }
    }
    return generation.status === 'cancelled';
  }

  /** Take a prompt off the server whatever its state: delete it if pending, interrupt it if running. */
  async withdraw(generation: Generation): Promise<void> {
    await this.submitting.get(generation.promptId)?.catch(() => undefined);
    const view = await this.freshQueue();
    if (view.pending.includes(generation.promptId))
      await this.http.deleteFromQueue([generation.promptId]);
    else if (view.running.includes(generation.promptId))
      await this.http.interrupt(generation.promptId);
  }

  /** Download an output file whole. */
  readOutput(file: FileRef): Promise<Buffer> {
    return this.http.viewBuffer(file);
  }

  outputSize(file: FileRef): Promise<number | undefined> {
    return this.http.fileSize(file);
  }

  streamOutput(file: FileRef): Promise<ReadableStream<Uint8Array>> {
    return this.http.view(file);
  }

  /** ComfyUI said success: outputs come from history (retried briefly: it can lag), else from `executed`. */
  async finish(generation: Generation): Promise<void> {
    const entry = await this.readHistory(generation.promptId, this.historyRetries + 1, hasOutputs);
    const raw =
      entry && hasOutputs(entry) ? entry.outputs : Object.fromEntries(generation.announcedOutputs);
    const outputs = collectOutputs(raw, this.id, this.outputSpecs.get(generation.promptId));
    if (outputs.length === 0) {
      generation.fail({
        code: 'no-outputs',
        message: 'ComfyUI finished but produced no output files.',
      });
      return;
    }
    generation.succeed(outputs);
  }

  /**
   * After every reconnect: progress sent meanwhile is lost and a prompt may have finished while
   * we were away. Check every tracked prompt against `/queue` and `/history`; fail only what
   * the server really lost.
   */
  async reconcile(): Promise<void> {
    const view = await this.freshQueue().catch(() => undefined);
    if (!view) return;
    this.router.setRunning(view.running[0]);
    const away = [...this.generations.values()].filter(
      (generation) =>
        !generation.isTerminal &&
        !generation.finishing &&
        !this.submitting.has(generation.promptId) &&
        !view.running.includes(generation.promptId) &&
        !view.pending.includes(generation.promptId),
    );
    // Concurrently, so their history reads share requests.
    await Promise.all(
      away.map(async (generation) => {
        const entry = await this.readHistory(generation.promptId, 3);
        if (generation.isTerminal || generation.finishing) return;
        if (entry) this.settleFromHistory(generation, entry);
        else
          generation.fail({
            code: 'lost',
            message:
              'ComfyUI lost this generation (the server restarted or its queue was cleared). Please try again.',
          });
      }),
    );
  }

  /**
   * A prompt's history entry, asked up to `attempts` times (ComfyUI can write it a moment after
   * its last message) until `ready` accepts it.
   */
  private async readHistory(
    promptId: string,
    attempts: number,
    ready: (entry: HistoryEntry) => boolean = () => true,
  ): Promise<HistoryEntry | undefined> {
    for (let attempt = 1; ; attempt++) {
      const entry = await this.history.get(promptId);
      if ((entry && ready(entry)) || attempt >= attempts) return entry;
      await delay(this.historyRetryDelayMs);
    }
  }

  private settleFromHistory(generation: Generation, entry: HistoryEntry): void {
    const messages = entry.status?.messages ?? [];
    const terminal = messages.find(
      ([type]) => type === 'execution_error' || type === 'execution_interrupted',
    );
    if (entry.status?.status_str === 'success' || (!terminal && entry.status?.completed)) {
      // As if the success message had reached us: the generation fetches its outputs.
      generation.handle({ type: 'execution_success', data: { prompt_id: generation.promptId } });
      return;
    }
    if (terminal) {
      const [type, data] = terminal;
      generation.handle({ type, data } as never);
      return;
    }
    generation.fail({ code: 'execution', message: 'ComfyUI reported this generation as failed.' });
  }

  private async freshQueue(): Promise<QueueView> {
    await this.queue.refresh();
    return this.queue.view;
  }

  private onStatus(message: StatusMessage): void {
    this.queueRemaining = message.data?.status?.exec_info?.queue_remaining ?? this.queueRemaining;
    // Positions only matter while we have something waiting.
    if (this.generations.size > 0) void this.queue.refresh();
  }

  private applyQueue(view: QueueView): void {
    const runningCount = view.running.length;
    let position = 0;
    for (const promptId of view.pending) {
      position += 1;
      this.generations.get(promptId)?.setQueued(position, runningCount + position - 1);
    }
    for (const promptId of view.running) this.generations.get(promptId)?.markRunning();
  }
}

function hasOutputs(entry: HistoryEntry): boolean {
  return Object.keys(entry.outputs).length > 0;
}

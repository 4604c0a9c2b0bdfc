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
import { ComfyUnreachableError } from '../errors.js';
import { delay } from '../util/delay.js';
import { formatDuration } from '../util/formatDuration.js';
import type { Logger } from '../util/Logger.js';
import { QueueTracker, type QueueStamp, type QueueView } from './QueueTracker.js';
import { collectOutputs } from './collectOutputs.js';
import { HistoryFetcher } from './HistoryFetcher.js';
import { LivenessMonitor } from './LivenessMonitor.js';

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
  /** While prompts are in flight, a socket silent for this long is checked against `/queue` (default 2 s). */
  silenceCheckMs?: number;
  /** Tracked generations fail when the server stays unreachable this long (default 3 minutes; 0 = never). */
  unreachableGraceMs?: number;
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
  /** Prompts whose end is being read from `/history`: no other check judges them meanwhile. */
  private readonly settling = new Set<string>();
  private readonly monitor: LivenessMonitor<Generation>;
  private readonly unreachableGraceMs: number;
  private unreachableTimer: NodeJS.Timeout | undefined;
  /** Set by a reconnect: the next queue view asked for after it reconciles every tracked prompt. */
  private reconnectedAt: number | undefined;
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
    this.unreachableGraceMs = options.unreachableGraceMs ?? 3 * 60_000;
    this.router = new PromptRouter({ onStatus: (message) => this.onStatus(message) });
    this.queue = new QueueTracker(
      this.http,
      (view, stamp) => this.applyQueue(view, stamp),
      options.logger,
      () => ({
        heard: this.connection.messagesReceived,
        statuses: this.connection.statusesReceived,
      }),
    );
    this.history = new HistoryFetcher(this.http, options.logger);
    this.monitor = new LivenessMonitor({
      connection: this.connection,
      inFlight: () => this.judgeable(),
      refreshQueue: () => void this.queue.refresh(),
      settleVanished: (generations) => this.settleAway(generations, 'vanished'),
      logger: options.logger,
      ...(options.silenceCheckMs ? { silenceMs: options.silenceCheckMs } : {}),
    });

    this.connection.on('message', (message) => this.router.route(message));
    this.connection.on('preview', (preview) => this.router.routePreview(preview));
    this.connection.on('reconnected', () => {
      this.reconnectedAt = performance.now();
      void this.queue.refresh();
    });
    this.connection.on('state', (change) => {
      this.monitor.update();
      this.watchReachability();
      this.publish({
        type: 'backend',
        backend: this.id,
        state: change.state,
        ...(change.reason ? { reason: change.reason } : {}),
        queueRemaining: this.queueRemaining,
      });
    });
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
    this.monitor.stop();
    this.clearUnreachableTimer();
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
    this.monitor.update();
    await this.post(generation, graph);
  }

  /** Forget a generation that reached a terminal state. */
  release(generation: Generation): void {
    this.generations.delete(generation.promptId);
    this.outputSpecs.delete(generation.promptId);
    this.settling.delete(generation.promptId);
    this.router.unregister(generation.promptId);
    this.monitor.update();
    if (this.generations.size === 0) this.clearUnreachableTimer();
  }

  private async post(generation: Generation, graph: ApiWorkflow): Promise<void> {
    generation.acceptedAt = undefined;
    const posting = this.http.submitPrompt({
      prompt: graph,
      clientId: this.connection.clientId,
      promptId: generation.promptId,
      extraData: { comfyrelay_generation: generation.id },
    });
    this.submitting.set(generation.promptId, posting);
    try {
      await posting;
      generation.acceptedAt = performance.now();
      this.connection.expectActivity();
      void this.queue.refresh();
    } finally {
      this.submitting.delete(generation.promptId);
    }
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
   * we were away. Every tracked prompt is checked against `/queue` (this view) and `/history`;
   * only what the server really lost ends (see {@link settleAway}).
   */
  private reconcile(view: QueueView, stamp: QueueStamp): void {
    this.router.setRunning(view.running[0]);
    const onServer = new Set([...view.running, ...view.pending]);
    const away = this.judgeable().filter(
      (generation) =>
        generation.acceptedAt !== undefined &&
        generation.acceptedAt < stamp.requestedAt &&
        !onServer.has(generation.promptId),
    );
    if (away.length > 0) void this.settleAway(away, 'reconnected');
  }

  /**
   * Prompts that are no longer on the server's queue although we heard no end of them: settled
   * from their history entry when there is one (read together, so they share requests). One
   * with no entry was lost: after a reconnect (ComfyUI restarted, losing its queue) a prompt
   * that never started is posted again, once; any other is failed in words. Resolves with how
   * many had finished on the server.
   */
  private async settleAway(
    generations: Generation[],
    why: 'reconnected' | 'vanished',
  ): Promise<number> {
    const mine = generations.filter((g) => !this.settling.has(g.promptId));
    for (const generation of mine) this.settling.add(generation.promptId);
    const entries = await Promise.all(mine.map((g) => this.readHistory(g.promptId, 3)));
    let finished = 0;
    mine.forEach((generation, i) => {
      this.settling.delete(generation.promptId);
      if (generation.isTerminal || generation.finishing) return;
      const entry = entries[i];
      if (entry) {
        finished += 1;
        this.settleFromHistory(generation, entry);
      } else if (
        why === 'reconnected' &&
        generation.startedAt === undefined &&
        !generation.resubmitted
      ) {
        void this.resubmit(generation);
      } else {
        generation.fail({ code: 'lost', message: lostMessage(why, generation) });
      }
    });
    return finished;
  }

  private async resubmit(generation: Generation): Promise<void> {
    generation.resubmitted = true;
    this.logger.info('ComfyUI lost a prompt that had not started; posting it again', {
      id: generation.id,
      backend: this.id,
    });
    try {
      await this.post(generation, generation.graph);
    } catch (error) {
      if (error instanceof ComfyUnreachableError) {
        // The server went away again; the POST may or may not have reached it. The next
        // reconnect's reconciliation finds it on the queue, or ends it as lost twice.
        generation.acceptedAt = performance.now();
        return;
      }
      generation.fail({
        code: 'lost',
        message: `ComfyUI lost this generation (the server restarted) and refused it when it was posted again: ${
          error instanceof Error ? error.message : String(error)
        }`,
      });
    }
  }

  /** Prompts a check may judge: tracked, not yet terminal, not being settled already. */
  private judgeable(): Generation[] {
    const result: Generation[] = [];
    for (const generation of this.generations.values())
      if (!generation.isTerminal && !this.settling.has(generation.promptId))
        result.push(generation);
    return result;
  }

  /** While the server is unreachable, tracked work waits a grace period, then ends in words. */
  private watchReachability(): void {
    if (this.connection.isOpen || this.connection.state === 'closed') {
      this.clearUnreachableTimer();
      return;
    }
    if (this.unreachableTimer || this.generations.size === 0 || !(this.unreachableGraceMs > 0))
      return;
    this.unreachableTimer = setTimeout(() => {
      this.unreachableTimer = undefined;
      const message = `ComfyUI at ${this.url} could not be reached for ${formatDuration(
        this.unreachableGraceMs,
      )}; the generation was given up.`;
      for (const generation of [...this.generations.values()])
        generation.fail({ code: 'unreachable', message });
    }, this.unreachableGraceMs);
    this.unreachableTimer.unref();
  }

  private clearUnreachableTimer(): void {
    if (this.unreachableTimer) clearTimeout(this.unreachableTimer);
    this.unreachableTimer = undefined;
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

  private applyQueue(view: QueueView, stamp: QueueStamp): void {
    const runningCount = view.running.length;
    let position = 0;
    for (const promptId of view.pending) {
      position += 1;
      this.generations.get(promptId)?.setQueued(position, runningCount + position - 1);
    }
    for (const promptId of view.running) this.generations.get(promptId)?.markRunning();
    if (this.reconnectedAt !== undefined && stamp.requestedAt >= this.reconnectedAt) {
      this.reconnectedAt = undefined;
      this.reconcile(view, stamp);
    }
    this.monitor.inspect(view, stamp);
  }
}

function lostMessage(why: 'reconnected' | 'vanished', generation: Generation): string {
  if (why === 'vanished')
    return "This generation was removed from ComfyUI's queue on the server. Please try again.";
  return generation.resubmitted
    ? 'ComfyUI lost this generation twice (the server restarted or its queue was cleared). Please try again.'
    : 'ComfyUI lost this generation (the server restarted or its queue was cleared). Please try again.';
}

function hasOutputs(entry: HistoryEntry): boolean {
  return Object.keys(entry.outputs).length > 0;
}

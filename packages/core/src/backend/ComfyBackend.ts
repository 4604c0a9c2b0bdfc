import {
  ComfyConnection,
  type ComfyConnectionOptions,
  type ConnectionState,
} from '../connection/ComfyConnection.js';
import { ComfyHttpError, ComfyUnreachableError } from '../errors.js';
import type { QueuePosition, RelayEvent } from '../events.js';
import { ComfyHttpClient } from '../http/ComfyHttpClient.js';
import type { FileRef, StatusMessage } from '../protocol/messages.js';
import type { HistoryEntry } from '../protocol/rest.js';
import { PromptRouter } from '../router/PromptRouter.js';
import { delay } from '../util/delay.js';
import { OrderedMap } from '../util/OrderedMap.js';
import { formatDuration } from '../util/formatDuration.js';
import type { Logger } from '../util/Logger.js';
import { HistoryFetcher } from './HistoryFetcher.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './CircuitBreaker.js';
import { LivenessMonitor } from './LivenessMonitor.js';
import { QueueTracker, type QueueStamp, type QueueView } from './QueueTracker.js';
import { TrackedPrompt, type PromptHost, type TrackedPromptInit } from './TrackedPrompt.js';
import { capabilitiesOf, type BackendCapabilities } from '../routing/Capabilities.js';
import { canRun, missingOn } from '../routing/missingOn.js';
import type { JobRequirements } from '../routing/requirements.js';

/** What a backend tells the scheduler in front of it. */
export interface BackendWatcher {
  /** Where our waiting prompts stand on its queue now (every one of ours, by generation id). */
  positions(backend: ComfyBackend, positions: Readonly<Record<string, QueuePosition>>): void;
  /** It may take more work: it connected, learned what it can run, or one of our prompts ended. */
  available(backend: ComfyBackend): void;
  /**
   * It has been unreachable too long: prompts of ours it held are given back (it no longer
   * follows them) for another backend to run — those that never started, and, with
   * `retryRunningOnUnreachable`, those that had started and were never started over before.
   */
  stranded(backend: ComfyBackend, prompts: TrackedPrompt[]): void;
}

/**
 * Longest a read that can wait (history of a finished prompt, the queue view after a `status`)
 * waits for the socket to catch up with the server (see `ComfyConnection.whenQuiet`).
 */
const CATCH_UP_WAIT_MS = 250;

const nobodyWatches: BackendWatcher = {
  positions: () => undefined,
  available: () => undefined,
  stranded: () => undefined,
};

export interface ComfyBackendOptions {
  id: string;
  url: string;
  clientId: string;
  logger: Logger;
  /** Its connection state changes, as relay events. */
  publish(event: RelayEvent): void;
  httpTimeoutMs?: number;
  /** Sent with every request and the socket's upgrade (auth). */
  headers?: Readonly<Record<string, string>>;
  connection?: Omit<
    ComfyConnectionOptions,
    'baseUrl' | 'clientId' | 'logger' | 'headers' | 'router'
  >;
  /** Retries of an empty `/history` answer after success (default 10 × 100 ms). */
  historyRetries?: number;
  historyRetryDelayMs?: number;
  /** How long a cancel waits for ComfyUI to confirm (default 10 s). */
  cancelConfirmMs?: number;
  /** While prompts are in flight, a socket silent for this long is checked against `/queue` (default 2 s). */
  silenceCheckMs?: number;
  /** Tracked generations fail when the server stays unreachable this long (default 3 minutes; 0 = never). */
  unreachableGraceMs?: number;
  /**
   * When `unreachableGraceMs` runs out, generations that had started there and were never
   * started over before are given back to run again from the start elsewhere, once, instead of
   * failing (default false).
   */
  retryRunningOnUnreachable?: boolean;
  /** Prompts that never started move to another backend after this long unreachable (default 15 s). */
  failoverAfterMs?: number;
  /** Taken out after repeated failures, then probed back in. */
  circuit?: CircuitBreakerOptions;
}

/**
 * One ComfyUI server: its HTTP client, its one socket, its router — the index of the prompts
 * it runs, each a {@link TrackedPrompt} — its queue view and the check that tells a deaf socket
 * from a quiet one.
 */
export class ComfyBackend implements PromptHost {
  readonly id: string;
  readonly url: string;
  readonly http: ComfyHttpClient;
  readonly connection: ComfyConnection;
  readonly router: PromptRouter<TrackedPrompt>;
  readonly queue: QueueTracker;
  readonly logger: Logger;
  readonly historyAttempts: number;
  readonly cancelConfirmMs: number;
  private readonly history: HistoryFetcher;
  private readonly monitor: LivenessMonitor<TrackedPrompt>;
  private readonly publish: (event: RelayEvent) => void;
  private watcher: BackendWatcher = nobodyWatches;
  /** What its `/object_info` offers (node classes, model files); read at each connect. */
  private known: BackendCapabilities | undefined;
  private readonly historyRetryDelayMs: number;
  private readonly unreachableGraceMs: number;
  private readonly retryRunningOnUnreachable: boolean;
  private unreachableTimer: NodeJS.Timeout | undefined;
  private readonly failoverAfterMs: number;
  private failoverTimer: NodeJS.Timeout | undefined;
  /** Re-reads of history that failed (see settleLater). */
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /**
   * Prompts given to another backend while this one was away, by prompt id, with whether they
   * had started here: taken off its queue (and interrupted, if started) when it is back.
   */
  private readonly abandoned = new Map<string, boolean>();
  /** Out of the rotation after repeated failures, probed back in. */
  readonly circuit: CircuitBreaker;
  private probeTimer: NodeJS.Timeout | undefined;
  /** Set by a reconnect: the next queue view asked for after it reconciles every tracked prompt. */
  private reconnectedAt: number | undefined;
  /** Prompts being posted: they count towards the load before ComfyUI lists them. */
  private posting = 0;
  /**
   * Tracked prompts not being settled, so that "is anything in flight?" — asked on every track
   * and release — costs O(1) rather than a walk of every prompt. A prompt that ended while still
   * tracked is dropped from it the first time it is met (ended is for good). Ordered so that
   * the first one is at hand in O(1) however many left (see OrderedMap).
   */
  private readonly live = new OrderedMap<TrackedPrompt, true>();
  private queueRemaining = 0;
  /** A queue refresh waits for the socket to catch up (see `queueMoved`). */
  private queueRefreshDue = false;
  /** Prompts that ended live, waiting for the socket to catch up to read their history. */
  private toCollect: TrackedPrompt[] = [];

  constructor(options: ComfyBackendOptions) {
    this.id = options.id;
    this.url = options.url;
    this.logger = options.logger;
    this.publish = options.publish;
    this.historyAttempts = (options.historyRetries ?? 10) + 1;
    this.historyRetryDelayMs = options.historyRetryDelayMs ?? 100;
    this.cancelConfirmMs = options.cancelConfirmMs ?? 10_000;
    this.unreachableGraceMs = options.unreachableGraceMs ?? 3 * 60_000;
    this.retryRunningOnUnreachable = options.retryRunningOnUnreachable ?? false;
    this.failoverAfterMs = options.failoverAfterMs ?? 15_000;
    this.circuit = new CircuitBreaker(options.circuit);
    this.router = new PromptRouter<TrackedPrompt>({
      onStatus: (message) => this.onStatus(message),
      logger: options.logger,
    });
    this.http = new ComfyHttpClient({
      baseUrl: options.url,
      ...(options.httpTimeoutMs ? { timeoutMs: options.httpTimeoutMs } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    this.connection = new ComfyConnection({
      ...options.connection,
      ...(options.headers ? { headers: options.headers } : {}),
      baseUrl: options.url,
      clientId: options.clientId,
      logger: options.logger,
      // The connection hands over only messages it has read: routed as they are, not read again.
      router: this.router,
    });
    this.queue = new QueueTracker(
      this.http,
      (view, stamp) => this.applyQueue(view, stamp),
      options.logger,
      () => ({
        heard: this.connection.messagesReceived,
        statuses: this.connection.statusesReceived,
      }),
    );
    this.history = new HistoryFetcher(this.http, options.logger, {
      ready: () => this.connection.whenQuiet(CATCH_UP_WAIT_MS),
      // Every prompt of ours still tracked may have ended on the server unheard.
      unheard: () => this.router.size,
    });
    this.monitor = new LivenessMonitor({
      connection: this.connection,
      inFlight: () => this.judgeable(),
      hasInFlight: () => this.hasLive(),
      refreshQueue: () => void this.queue.refresh(),
      settleVanished: (prompts, found) => this.settleAway(prompts, 'vanished', found),
      logger: options.logger,
      ...(options.silenceCheckMs ? { silenceMs: options.silenceCheckMs } : {}),
    });

    this.connection.on('preview', (preview) => this.router.routePreview(preview));
    this.connection.on('reconnected', () => {
      this.reconnectedAt = performance.now();
      void this.queue.refresh();
    });
    this.connection.on('state', (change) => {
      this.monitor.update();
      this.watchReachability();
      if (change.state === 'open') {
        void this.readCapabilities();
        void this.deleteAbandoned();
        // Prompts taken up after a restart are reconciled as soon as the socket is open.
        if (this.reconnectedAt !== undefined) void this.queue.refresh();
        this.watcher.available(this);
      }
      this.publish({
        type: 'backend',
        backend: this.id,
        state: change.state,
        ...(change.reason ? { reason: change.reason } : {}),
        queueRemaining: this.queueRemaining,
      });
    });
  }

  /** The scheduler in front of it. */
  watch(watcher: BackendWatcher): void {
    this.watcher = watcher;
  }

  get clientId(): string {
    return this.connection.clientId;
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  get healthy(): boolean {
    return this.connection.isOpen;
  }

  /** Healthy, and not taken out for repeated failures (or due for a probe). */
  get accepting(): boolean {
    return this.connection.isOpen && this.circuit.allows;
  }

  /** A job handed to it failed for a reason of the server's (not of the job). */
  failedToTake(): void {
    this.circuit.failed();
    const retryAt = this.circuit.retryAt;
    if (retryAt === undefined) return;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => this.watcher.available(this), retryAt - Date.now());
    this.probeTimer.unref();
    this.logger.warn('ComfyUI keeps failing; taken out of the rotation for a while', {
      backend: this.id,
      until: new Date(retryAt).toISOString(),
    });
  }

  /** How busy this server is: its queue plus what we are posting to it right now. */
  get load(): number {
    return Math.max(this.queueRemaining, this.queue.length) + this.posting;
  }

  /**
   * Of its load, the prompts running now: as its last queue view said, or — that view may be
   * older than the socket's news — one, when a prompt of ours has started there.
   */
  get running(): number {
    const listed = this.queue.view.running.length;
    if (listed > 0) return listed;
    for (const prompt of this.live.keys())
      if (!prompt.isTerminal && prompt.generation.startedAt !== undefined) return 1;
    return 0;
  }

  /** Our prompts on it (posted or being posted, not yet ended). */
  get tracked(): number {
    return this.router.size;
  }

  /** What it can run, when its `/object_info` could be read (undefined: unknown yet). */
  get capabilities(): BackendCapabilities | undefined {
    return this.known;
  }

  /** Whether it has (as far as we know) every node class and model file `requirements` names. */
  canRun(requirements: JobRequirements): boolean {
    return this.known === undefined || canRun(this.known, requirements);
  }

  /** What it lacks of `requirements`, in words (empty when unknown or nothing). */
  missing(requirements: JobRequirements): string[] {
    return this.known === undefined ? [] : missingOn(this.known, requirements);
  }

  private async readCapabilities(): Promise<void> {
    try {
      this.known = capabilitiesOf(await this.http.getObjectInfo());
      this.watcher.available(this);
    } catch (error) {
      this.logger.debug('could not read /object_info', { backend: this.id, error: String(error) });
    }
  }

  start(): void {
    this.connection.start();
  }

  async stop(): Promise<void> {
    this.monitor.stop();
    this.clearUnreachableTimer();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    if (this.probeTimer) clearTimeout(this.probeTimer);
    await this.connection.stop();
  }

  /**
   * Track a prompt on this server: registered with the router BEFORE it is posted, since
   * ComfyUI may send its first messages before it answers the POST. Post it with {@link submit}.
   */
  track(init: TrackedPromptInit): TrackedPrompt {
    const prompt = new TrackedPrompt(init, this);
    const replaced = this.router.get(prompt.promptId);
    if (replaced) this.live.delete(replaced);
    this.router.register(prompt.promptId, prompt);
    if (!prompt.isTerminal) this.live.set(prompt, true);
    this.monitor.update();
    return prompt;
  }

  /**
   * Follow again a prompt posted before a restart: registered with the router now, then
   * reconciled with `/queue` and `/history` as soon as the socket is open (as after a reconnect):
   * still there, it is followed live; finished, its outputs are collected; lost, it is posted
   * again once if it never started, else it fails in words.
   */
  adopt(init: TrackedPromptInit & { resubmitted: boolean }): TrackedPrompt {
    const prompt = this.track(init);
    prompt.acceptedAt = 0;
    prompt.resubmitted = init.resubmitted;
    this.reconnectedAt ??= 0;
    if (this.connection.isOpen) void this.queue.refresh();
    return prompt;
  }

  /** Post a tracked prompt. Rejects with the HTTP error (the caller fails the generation). */
  async submit(prompt: TrackedPrompt): Promise<void> {
    this.posting += 1;
    try {
      await prompt.post();
    } finally {
      this.posting -= 1;
    }
  }

  accepted(): void {
    this.connection.expectActivity();
    // A prompt just accepted learns its place at once: a user waits to see it. (Refreshes
    // already under way are shared: a burst of posts costs a few reads, not one each.)
    void this.queue.refresh();
  }

  /**
   * The queue moved (a `status`, a prompt accepted): positions are refreshed once the socket has
   * caught up with the server, or `CATCH_UP_WAIT_MS` later at the latest — one `GET /queue` for
   * however many moves came meanwhile, and none read while frames pour in (its view would be
   * behind them anyway).
   */
  private queueMoved(): void {
    if (this.queueRefreshDue) return;
    this.queueRefreshDue = true;
    void this.connection.whenQuiet(CATCH_UP_WAIT_MS).then(() => {
      this.queueRefreshDue = false;
      void this.queue.refresh();
    });
  }

  /**
   * A prompt ended live: its history is read once the socket has caught up with the server
   * (`CATCH_UP_WAIT_MS` at the latest), together with every other that ended meanwhile — while
   * frames pour in, the server is ahead of what we heard, and reading would only slow the socket.
   */
  collectLater(prompt: TrackedPrompt): void {
    if (this.toCollect.push(prompt) > 1) return;
    void this.connection.whenQuiet(CATCH_UP_WAIT_MS).then(() => {
      const prompts = this.toCollect;
      this.toCollect = [];
      for (const ended of prompts) ended.collect();
    });
  }

  /** One of our prompts ended: forget it, and say there is room again. */
  release(prompt: TrackedPrompt): void {
    if (this.router.get(prompt.promptId) !== prompt) return;
    this.untrack(prompt.promptId);
    this.monitor.update();
    if (this.router.size === 0) this.clearUnreachableTimer();
    this.watcher.available(this);
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

  async freshQueue(): Promise<QueueView> {
    await this.queue.refresh();
    return this.queue.view;
  }

  async readHistory(
    promptId: string,
    attempts: number,
    ready: (entry: HistoryEntry) => boolean = () => true,
  ): Promise<HistoryEntry | undefined> {
    for (let attempt = 1; ; attempt++) {
      let entry: HistoryEntry | undefined;
      try {
        entry = await this.history.get(promptId);
      } catch (error) {
        // The history could not be read: that says nothing of the prompt. Try again, then say so.
        if (attempt >= attempts) throw error;
        await delay(this.historyRetryDelayMs);
        continue;
      }
      if ((entry && ready(entry)) || attempt >= attempts) return entry;
      await delay(this.historyRetryDelayMs);
    }
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
      (prompt) =>
        prompt.acceptedAt !== undefined &&
        prompt.acceptedAt < stamp.requestedAt &&
        !onServer.has(prompt.promptId),
    );
    if (away.length > 0) void this.settleAway(away, 'reconnected');
  }

  /**
   * Prompts that are no longer on the server's queue although we heard no end of them: settled
   * from their history entry when there is one (read together, so they share requests). One
   * with no entry was lost: after a reconnect (ComfyUI restarted, losing its queue) a prompt
   * that never started is posted again, once; any other is failed in words. `found` hears how
   * many had finished on the server before any is settled.
   */
  private async settleAway(
    prompts: TrackedPrompt[],
    why: 'reconnected' | 'vanished',
    found?: (finishedOnServer: number) => void,
  ): Promise<void> {
    const mine = prompts.filter((prompt) => !prompt.settling);
    for (const prompt of mine) {
      prompt.settling = true;
      this.live.delete(prompt);
    }
    const readings = await Promise.all(
      mine.map((prompt) =>
        this.readHistory(prompt.promptId, 3).then(
          (entry) => ({ entry, unread: false }),
          () => ({ entry: undefined, unread: true }),
        ),
      ),
    );
    for (const prompt of mine) {
      prompt.settling = false;
      if (!prompt.isTerminal && this.router.get(prompt.promptId) === prompt)
        this.live.set(prompt, true);
    }
    found?.(readings.filter(({ entry }, i) => entry && !mine[i]!.isTerminal).length);
    const unread: TrackedPrompt[] = [];
    mine.forEach((prompt, i) => {
      // Ended meanwhile, or given to another backend while its history was being read.
      if (prompt.isTerminal || prompt.finishing || this.router.get(prompt.promptId) !== prompt)
        return;
      const { entry, unread: failed } = readings[i]!;
      if (failed) {
        unread.push(prompt);
      } else if (entry) {
        prompt.settleFrom(entry);
      } else if (
        (why === 'reconnected' || prompt.postUnconfirmed) &&
        prompt.generation.startedAt === undefined &&
        !prompt.resubmitted
      ) {
        void this.resubmit(prompt);
      } else {
        prompt.fail({ code: 'lost', message: lostMessage(why, prompt) });
      }
    });
    if (unread.length > 0) this.settleLater(unread, why);
  }

  /**
   * ComfyUI's history could not be read for prompts gone from its queue: whether they finished
   * is unknown, so they are neither failed nor posted again. Asked again shortly, for as long
   * as they are tracked here (an unreachable server ends them by its own timers).
   */
  private settleLater(prompts: TrackedPrompt[], why: 'reconnected' | 'vanished'): void {
    this.logger.warn(
      "could not read ComfyUI's history for generations gone from its queue; asking again",
      {
        backend: this.id,
        generations: prompts.length,
      },
    );
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      const still = prompts.filter(
        (prompt) => !prompt.isTerminal && this.router.get(prompt.promptId) === prompt,
      );
      if (still.length > 0) void this.settleAway(still, why);
    }, this.historyRetryDelayMs * 10);
    this.retryTimers.add(timer);
  }

  private async resubmit(prompt: TrackedPrompt): Promise<void> {
    prompt.resubmitted = true;
    this.logger.info('ComfyUI lost a prompt that had not started; posting it again', {
      id: prompt.generation.id,
      backend: this.id,
    });
    try {
      await this.submit(prompt);
    } catch (error) {
      if (error instanceof ComfyUnreachableError) {
        // The server went away again; the POST may or may not have reached it. The next
        // reconnect's reconciliation finds it on the queue, or ends it as lost twice.
        prompt.followUnconfirmed();
        return;
      }
      if (error instanceof ComfyHttpError && error.status >= 500) {
        // The server could not take it just now: back to comfyrelay's queue, for any server.
        this.untrack(prompt.promptId);
        this.monitor.update();
        this.watcher.stranded(this, [prompt]);
        return;
      }
      prompt.fail({
        code: 'lost',
        message: `ComfyUI lost this generation (the server restarted) and refused it when it was posted again: ${
          error instanceof Error ? error.message : String(error)
        }`,
      });
    }
  }

  /** Forget a prompt id: its router entry and its place among the live prompts. */
  private untrack(promptId: string): void {
    const prompt = this.router.get(promptId);
    if (prompt) this.live.delete(prompt);
    this.router.unregister(promptId);
  }

  /** Whether any tracked prompt is neither terminal nor being settled (see `live`). */
  private hasLive(): boolean {
    for (let prompt = this.live.firstKey(); prompt; prompt = this.live.firstKey()) {
      if (!prompt.isTerminal) return true;
      this.live.shift();
    }
    return false;
  }

  /** Prompts a check may judge: tracked, not yet terminal, not being settled already. */
  private judgeable(): TrackedPrompt[] {
    const result: TrackedPrompt[] = [];
    for (const prompt of this.router.registered())
      if (!prompt.isTerminal && !prompt.settling) result.push(prompt);
    return result;
  }

  /**
   * While the server is unreachable, prompts of ours that never started move to another backend
   * after `failoverAfterMs`; the rest wait `unreachableGraceMs`, then end in words (or start
   * over elsewhere, once: see {@link giveUpUnreachable}).
   */
  private watchReachability(): void {
    if (this.connection.isOpen || this.connection.state === 'closed') {
      this.clearUnreachableTimer();
      return;
    }
    if (!this.failoverTimer && this.router.size > 0 && this.failoverAfterMs > 0) {
      this.failoverTimer = setTimeout(() => {
        this.failoverTimer = undefined;
        void this.failOverIfUnreachable();
      }, this.failoverAfterMs);
      this.failoverTimer.unref();
    }
    if (this.unreachableTimer || this.router.size === 0 || !(this.unreachableGraceMs > 0)) return;
    this.unreachableTimer = setTimeout(() => {
      this.unreachableTimer = undefined;
      this.giveUpUnreachable();
    }, this.unreachableGraceMs);
    this.unreachableTimer.unref();
  }

  /**
   * The server stayed unreachable for `unreachableGraceMs`: every prompt of ours it holds ends
   * in words — except, with `retryRunningOnUnreachable`, one that had started and was never
   * started over before: it goes back to comfyrelay's queue (as a stranded one does) to run
   * again from the start on any capable server. Should this one come back, its copy is
   * interrupted and whatever it still says of it is not heard (it is no longer tracked here).
   */
  private giveUpUnreachable(): void {
    const waited = formatDuration(this.unreachableGraceMs);
    const startOver: TrackedPrompt[] = [];
    for (const prompt of [...this.router.registered()]) {
      if (prompt.isTerminal) continue;
      const generation = prompt.generation;
      if (
        this.retryRunningOnUnreachable &&
        generation.startedAt !== undefined &&
        !generation.retried &&
        !prompt.finishing
      ) {
        startOver.push(prompt);
        continue;
      }
      prompt.fail({
        code: 'unreachable',
        message: generation.retried
          ? `ComfyUI at ${this.url} could not be reached for ${waited}; the generation had already been started over once after losing its server, so it was given up.`
          : `ComfyUI at ${this.url} could not be reached for ${waited}; the generation was given up.`,
      });
    }
    this.giveBack(startOver);
  }

  /** Prompts another backend is to run: no longer followed here, and handed to the scheduler. */
  private giveBack(prompts: TrackedPrompt[]): void {
    for (const prompt of prompts) {
      this.abandoned.set(prompt.promptId, prompt.generation.startedAt !== undefined);
      this.untrack(prompt.promptId);
    }
    this.monitor.update();
    if (prompts.length > 0) this.watcher.stranded(this, prompts);
  }

  /**
   * The socket has been down for `failoverAfterMs`: prompts that never started move to another
   * backend — unless the server still answers over HTTP (only its socket is being replaced), in
   * which case they stay: moving them would run them twice.
   */
  private async failOverIfUnreachable(): Promise<void> {
    if (this.connection.isOpen) return;
    try {
      await this.http.getQueue();
      this.logger.info('socket still down but ComfyUI answers; its prompts stay there', {
        backend: this.id,
      });
      // Reachable after all: what ended meanwhile is read from its queue and history (as after
      // a reconnect), and the prompts are followed this way until the socket is back.
      if (this.unreachableTimer) clearTimeout(this.unreachableTimer);
      this.unreachableTimer = undefined;
      this.reconnectedAt = performance.now();
      await this.queue.refresh();
      this.watchReachability();
      return;
    } catch {
      // Unreachable over HTTP too: move what never started.
    }
    if (this.connection.isOpen) return;
    const stranded = [...this.router.registered()].filter(
      (prompt) =>
        !prompt.isTerminal &&
        !prompt.finishing &&
        !prompt.settling &&
        prompt.generation.startedAt === undefined,
    );
    this.giveBack(stranded);
  }

  private clearUnreachableTimer(): void {
    if (this.unreachableTimer) clearTimeout(this.unreachableTimer);
    this.unreachableTimer = undefined;
    if (this.failoverTimer) clearTimeout(this.failoverTimer);
    this.failoverTimer = undefined;
  }

  /**
   * Back after an absence: what another backend took over must not run here too — taken off
   * the queue, and interrupted if it was running here (only that prompt: never anyone else's).
   */
  private async deleteAbandoned(): Promise<void> {
    if (this.abandoned.size === 0) return;
    const abandoned = [...this.abandoned];
    this.abandoned.clear();
    try {
      await this.http.deleteFromQueue(abandoned.map(([promptId]) => promptId));
      for (const [promptId, started] of abandoned) if (started) await this.http.interrupt(promptId);
    } catch (error) {
      this.logger.warn('could not remove prompts moved to another server', {
        backend: this.id,
        error: String(error),
      });
    }
  }

  private onStatus(message: StatusMessage): void {
    this.queueRemaining = message.data?.status?.exec_info?.queue_remaining ?? this.queueRemaining;
    // Positions only matter while we have something waiting.
    if (this.router.size > 0) this.queueMoved();
  }

  private applyQueue(view: QueueView, stamp: QueueStamp): void {
    const runningCount = view.running.length;
    const positions: Record<string, QueuePosition> = {};
    let position = 0;
    for (const promptId of view.pending) {
      position += 1;
      const generation = this.router.get(promptId)?.generation;
      if (!generation) continue;
      const ahead = runningCount + position - 1;
      generation.setQueued(position, ahead);
      if (generation.status === 'queued') positions[generation.id] = { promptId, position, ahead };
    }
    this.watcher.positions(this, positions);
    for (const promptId of view.running) this.router.get(promptId)?.generation.markRunning();
    if (this.reconnectedAt !== undefined && stamp.requestedAt >= this.reconnectedAt) {
      this.reconnectedAt = undefined;
      this.reconcile(view, stamp);
    }
    this.monitor.inspect(view, stamp);
  }
}

function lostMessage(why: 'reconnected' | 'vanished', prompt: TrackedPrompt): string {
  if (why === 'vanished')
    return "This generation was removed from ComfyUI's queue on the server. Please try again.";
  return prompt.resubmitted
    ? 'ComfyUI lost this generation twice (the server restarted or its queue was cleared). Please try again.'
    : 'ComfyUI lost this generation (the server restarted or its queue was cleared). Please try again.';
}

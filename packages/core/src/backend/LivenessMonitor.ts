import type { ComfyConnection } from '../connection/ComfyConnection.js';
import type { Logger } from '../util/Logger.js';
import type { QueueStamp, QueueView } from './QueueTracker.js';

/** What the monitor needs to know of a prompt in flight (a generation). */
export interface WatchedPrompt {
  readonly promptId: string;
  readonly isTerminal: boolean;
  /** ComfyUI said success; outputs are being collected. */
  readonly finishing: boolean;
  /** Whether any message of this prompt reached us. */
  readonly heard: boolean;
  /** `performance.now()` when ComfyUI accepted the prompt; unset while the POST is in flight. */
  readonly acceptedAt: number | undefined;
  /** Its end is being read already. */
  readonly settling: boolean;
}

/** The part of {@link ComfyConnection} the monitor uses. */
export type WatchedConnection = Pick<
  ComfyConnection,
  'isOpen' | 'messagesReceived' | 'statusesReceived' | 'deafGraceMs' | 'declareDeaf'
>;

export interface LivenessMonitorOptions<P extends WatchedPrompt> {
  connection: WatchedConnection;
  /** The prompts this backend tracks. */
  inFlight(): Iterable<P>;
  /**
   * Whether any of `inFlight()` is not terminal: asked on every change, so a host that can
   * answer without walking every prompt should (default: the walk).
   */
  hasInFlight?(): boolean;
  /** Ask for a fresh `/queue` view (coalesced); views come back through {@link LivenessMonitor.inspect}. */
  refreshQueue(): void;
  /**
   * Prompts that left the server's queue without a word to us: read their history, call
   * `found` with how many had finished on the server (a healthy socket would have heard their
   * end), then settle them.
   */
  settleVanished(prompts: P[], found: (finishedOnServer: number) => void): Promise<void>;
  logger: Logger;
  /** A socket silent for between one and two of these is checked against the server (default 2 s). */
  silenceMs?: number;
}

interface Suspicion<P> {
  /** The connection's message count when the suspicion arose. */
  heard: number;
  queueChangedSilently: boolean;
  vanished: Map<string, P>;
  startedUnheard: Map<string, P>;
  timer: NodeJS.Timeout;
}

/**
 * Tells a deaf socket from a quiet one, at any time, while prompts are in flight.
 *
 * Real ComfyUI keeps one socket per clientId, and when ANY connection of that clientId ends —
 * a stale one, seconds after a network cut — it removes the entry, which by then is our new
 * socket's: from that moment the socket hears nothing, and ComfyUI sends no heartbeat. Silence
 * alone proves nothing (a model load is silent too); the server moving on while we heard nothing
 * does. So a socket silent for a while is checked against `/queue`, and every queue view is
 * compared with what the socket told us:
 * - one of our prompts left the queue and we heard no end of it;
 * - one of our prompts runs and we never heard it start;
 * - the queue changed and no `status` came since the previous view (ComfyUI sends one to every
 *   socket on every change of its queue).
 * Each is given {@link ComfyConnection.deafGraceMs} for the message to arrive (the socket and
 * HTTP race); then vanished prompts are settled from `/history`, and if the socket heard nothing
 * at all meanwhile it is deaf: it is replaced and every tracked prompt reconciled. The checks go
 * on while work is in flight, so a stale server-side socket that takes the entry away again
 * after a reconnect is caught again. Nothing is polled while nothing is in flight, and never
 * one request per prompt: one coalesced `/queue`, and `/history` only for what left the queue.
 */
export class LivenessMonitor<P extends WatchedPrompt> {
  private readonly silenceMs: number;
  private tickTimer: NodeJS.Timeout | undefined;
  private heardAtTick = 0;
  private previous: { view: QueueView; stamp: QueueStamp } | undefined;
  /** Pending suspicions, each judged against what the socket had heard when it arose. */
  private readonly suspicions = new Set<Suspicion<P>>();
  private stopped = false;

  constructor(private readonly options: LivenessMonitorOptions<P>) {
    this.silenceMs = options.silenceMs ?? 2_000;
  }

  /** Call when prompts come or go and when the connection opens or drops: checks run only while both hold. */
  update(): void {
    const watching = !this.stopped && this.options.connection.isOpen && this.hasInFlight();
    if (!watching) {
      this.clearTick();
      this.previous = undefined;
      if (!this.options.connection.isOpen) this.clearSuspicion();
      return;
    }
    if (this.tickTimer) return;
    this.heardAtTick = this.options.connection.messagesReceived;
    this.scheduleTick();
  }

  /** Compare a fresh `/queue` view with what the socket told us. */
  inspect(view: QueueView, stamp: QueueStamp): void {
    const previous = this.previous;
    this.previous = { view, stamp };
    if (this.stopped || !this.options.connection.isOpen) return;
    const heardNow = this.options.connection.messagesReceived;
    const onServer = new Set(view.running);
    for (const promptId of view.pending) onServer.add(promptId);
    const running = new Set(view.running);

    const vanished: P[] = [];
    const startedUnheard: P[] = [];
    for (const prompt of this.options.inFlight()) {
      if (prompt.isTerminal || prompt.finishing) continue;
      // Only prompts ComfyUI had accepted before this view was asked for can be judged by it.
      if (prompt.acceptedAt === undefined || prompt.acceptedAt >= stamp.requestedAt) continue;
      if (!onServer.has(prompt.promptId)) vanished.push(prompt);
      else if (running.has(prompt.promptId) && !prompt.heard) startedUnheard.push(prompt);
    }
    // Every change of ComfyUI's queue sends `status` to every socket it knows.
    const queueChangedSilently =
      previous !== undefined &&
      previous.stamp.statuses === this.options.connection.statusesReceived &&
      !sameQueue(previous.view, view);
    if (vanished.length === 0 && startedUnheard.length === 0 && !queueChangedSilently) return;
    this.suspect(heardNow, queueChangedSilently, vanished, startedUnheard);
  }

  stop(): void {
    this.stopped = true;
    this.clearTick();
    this.clearSuspicion();
  }

  private suspect(
    heard: number,
    queueChangedSilently: boolean,
    vanished: P[],
    startedUnheard: P[],
  ): void {
    // Evidence joins a pending suspicion only while the socket has stayed silent since it arose.
    let suspicion = [...this.suspicions].find((pending) => pending.heard === heard);
    if (!suspicion) {
      const created: Suspicion<P> = {
        heard,
        queueChangedSilently: false,
        vanished: new Map(),
        startedUnheard: new Map(),
        timer: setTimeout(() => void this.judge(created), this.options.connection.deafGraceMs),
      };
      created.timer.unref();
      this.suspicions.add(created);
      suspicion = created;
    }
    suspicion.queueChangedSilently ||= queueChangedSilently;
    for (const prompt of vanished) suspicion.vanished.set(prompt.promptId, prompt);
    for (const prompt of startedUnheard) suspicion.startedUnheard.set(prompt.promptId, prompt);
  }

  private async judge(suspicion: Suspicion<P>): Promise<void> {
    this.suspicions.delete(suspicion);
    const { connection, logger } = this.options;
    if (this.stopped || !connection.isOpen) return;
    const heardSince = connection.messagesReceived !== suspicion.heard;
    const vanished = [...suspicion.vanished.values()].filter(
      (p) => !p.isTerminal && !p.finishing && !p.settling,
    );
    const stillUnheard = [...suspicion.startedUnheard.values()].some(
      (p) => !p.isTerminal && !p.heard,
    );
    // Decided before the vanished prompts are settled, so the new socket is on its way first.
    const decide = (finishedUnheard: number) => {
      if (heardSince || this.stopped) return;
      if (suspicion.queueChangedSilently || stillUnheard || finishedUnheard > 0)
        connection.declareDeaf(
          finishedUnheard > 0
            ? `ComfyUI finished ${finishedUnheard} of our prompts and the socket heard nothing`
            : stillUnheard
              ? 'ComfyUI started one of our prompts and the socket heard nothing'
              : "ComfyUI's queue moved and the socket heard nothing",
        );
    };
    if (vanished.length === 0) {
      decide(0);
      return;
    }
    try {
      await this.options.settleVanished(vanished, decide);
    } catch (error) {
      logger.warn('could not settle prompts that left the queue', { error: String(error) });
    }
  }

  private hasInFlight(): boolean {
    if (this.options.hasInFlight) return this.options.hasInFlight();
    for (const prompt of this.options.inFlight()) if (!prompt.isTerminal) return true;
    return false;
  }

  private scheduleTick(): void {
    this.tickTimer = setTimeout(() => this.tick(), this.silenceMs);
    this.tickTimer.unref();
  }

  private tick(): void {
    this.tickTimer = undefined;
    if (this.stopped || !this.options.connection.isOpen || !this.hasInFlight()) return;
    const heard = this.options.connection.messagesReceived;
    if (heard === this.heardAtTick) this.options.refreshQueue();
    this.heardAtTick = heard;
    this.scheduleTick();
  }

  private clearTick(): void {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
  }

  private clearSuspicion(): void {
    for (const suspicion of this.suspicions) clearTimeout(suspicion.timer);
    this.suspicions.clear();
  }
}

function sameQueue(a: QueueView, b: QueueView): boolean {
  return sameList(a.running, b.running) && sameList(a.pending, b.pending);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

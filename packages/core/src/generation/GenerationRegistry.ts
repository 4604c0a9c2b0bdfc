import type { RelayEvent } from '../events.js';
import type { Logger } from '../util/Logger.js';
import { recordOf, type GenerationRecord, type StoredGeneration } from './GenerationState.js';
import type { GenerationStore } from './GenerationStore.js';

/** What the registry keeps of a live generation: its record now, and what a restart needs. */
export interface LiveGeneration {
  readonly id: string;
  /** Who asked: the registry counts each requester's live generations. */
  readonly requester?: string;
  readonly isTerminal: boolean;
  readonly generation: { toRecord(): GenerationRecord };
  toStored(): StoredGeneration;
}

/** Progress is written at most this often per generation: the store never slows the socket. */
const PROGRESS_SAVE_MS = 1_000;

/**
 * Transitions written when their event is noted. The record of a new one is written by `add`;
 * that of an ended one by `retire`, which follows its terminal event at once (the generation's
 * `settled` hook): writing it on the event too would write the same record twice.
 */
const savedAtOnce: ReadonlySet<RelayEvent['type']> = new Set(['started']);

/**
 * The live generations by id (in memory, with their owners) and the store of their records.
 * A record is written before anything reaches ComfyUI and on every transition; progress at
 * most once a second per generation.
 *
 * With a store that can write several records together (`saveMany`: SQLite, one transaction),
 * the transitions noted in one tick of the event loop — a socket read brings dozens of
 * prompts' messages — are written together at its end, each generation's record once, as it
 * is then: one commit per tick instead of one per transition. Records that must be durable
 * before a POST are written at once, as with any store. Reads through the registry see every
 * transition noted so far (pending ones are written first).
 */
export class GenerationRegistry<L extends LiveGeneration = LiveGeneration> {
  private readonly live = new Map<string, L>();
  /** How many of `live` each requester has: a limit check must not walk every generation. */
  private readonly perRequester = new Map<string, number>();
  private readonly progressSavedAt = new Map<string, number>();
  /** Generations whose record is written at the end of this tick (with `saveMany` only). */
  private readonly pending = new Map<string, L>();
  private flushTimer: NodeJS.Immediate | undefined;

  constructor(
    private readonly backing: GenerationStore,
    private readonly logger: Logger,
  ) {}

  /** The store, once every transition noted so far is written: a read through it sees them. */
  get store(): GenerationStore {
    this.flush();
    return this.backing;
  }

  /** Track a new generation; resolves once its record is written. */
  add(entry: L): void | Promise<void> {
    // One that ended before it was registered (a deadline passed during a restart) stays out.
    if (!entry.isTerminal) {
      const replaced = this.live.get(entry.id);
      if (replaced !== undefined) this.count(replaced, -1);
      this.live.set(entry.id, entry);
      this.count(entry, 1);
    }
    return this.persist(entry);
  }

  /** A terminal generation leaves memory; its record stays in the store. */
  retire(entry: L): void {
    const live = this.live.get(entry.id);
    if (live !== undefined) {
      this.live.delete(entry.id);
      this.count(live, -1);
    }
    this.progressSavedAt.delete(entry.id);
    this.persistSoon(entry);
  }

  /** Write a generation's record now (resolves once written; never rejects: failures are logged). */
  persist(entry: L): void | Promise<void> {
    // Written now as it is: a write due at the end of the tick would say the same.
    if (this.pending.get(entry.id) === entry) this.pending.delete(entry.id);
    try {
      const saved = this.backing.save(entry.toStored());
      if (saved instanceof Promise)
        return saved.catch((error: unknown) => this.failed(entry, error));
    } catch (error) {
      this.failed(entry, error);
    }
  }

  /**
   * An event of a live generation: `started` is written at once, progress at most once a second
   * (a terminal event is written by the `retire` that follows it). The record `started` writes
   * holds the progress of that moment, so it counts as the first progress written.
   */
  noted(entry: L, event: RelayEvent): void {
    if (savedAtOnce.has(event.type)) {
      if (event.type === 'started') this.progressSavedAt.set(entry.id, performance.now());
      this.persistSoon(entry);
      return;
    }
    if (event.type !== 'progress') return;
    const now = performance.now();
    if (now - (this.progressSavedAt.get(entry.id) ?? -Infinity) < PROGRESS_SAVE_MS) return;
    this.progressSavedAt.set(entry.id, now);
    this.persistSoon(entry);
  }

  /** Writes every record due at the end of this tick now, together. */
  flush(): void {
    if (this.flushTimer !== undefined) {
      clearImmediate(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.pending.size === 0) return;
    const entries = [...this.pending.values()];
    this.pending.clear();
    try {
      const saved = this.backing.saveMany!(entries.map((entry) => entry.toStored()));
      if (saved instanceof Promise)
        saved.catch((error: unknown) => this.failedTogether(entries, error));
    } catch (error) {
      this.failedTogether(entries, error);
    }
  }

  get(id: string): L | undefined {
    return this.live.get(id);
  }

  async record(id: string): Promise<GenerationRecord | undefined> {
    const live = (this.live.get(id) ?? this.pending.get(id))?.generation.toRecord();
    if (live) return live;
    const stored = await this.backing.get(id);
    return stored && recordOf(stored);
  }

  active(): L[] {
    return [...this.live.values()];
  }

  get size(): number {
    return this.live.size;
  }

  /** How many live generations `requester` has: O(1). */
  liveOf(requester: string): number {
    return this.perRequester.get(requester) ?? 0;
  }

  private count(entry: L, change: 1 | -1): void {
    const requester = entry.requester;
    if (requester === undefined) return;
    const count = (this.perRequester.get(requester) ?? 0) + change;
    if (count > 0) this.perRequester.set(requester, count);
    else this.perRequester.delete(requester);
  }

  /** A transition's record: at the end of the tick with the others where the store can, else now. */
  private persistSoon(entry: L): void {
    if (this.backing.saveMany === undefined) {
      void this.persist(entry);
      return;
    }
    this.pending.set(entry.id, entry);
    this.flushTimer ??= setImmediate(() => {
      this.flushTimer = undefined;
      this.flush();
    });
  }

  private failedTogether(entries: readonly L[], error: unknown): void {
    this.logger.error('could not save generations', {
      count: entries.length,
      ids: entries.slice(0, 10).map((entry) => entry.id),
      error: String(error),
    });
  }

  private failed(entry: L, error: unknown): void {
    this.logger.error('could not save a generation', { id: entry.id, error: String(error) });
  }
}

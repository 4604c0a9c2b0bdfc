import type { RelayEvent } from '../events.js';
import type { Logger } from '../util/Logger.js';
import { recordOf, type GenerationRecord, type StoredGeneration } from './GenerationState.js';
import type { GenerationStore } from './GenerationStore.js';

/** What the registry keeps of a live generation: its record now, and what a restart needs. */
export interface LiveGeneration {
  readonly id: string;
  readonly isTerminal: boolean;
  readonly generation: { toRecord(): GenerationRecord };
  toStored(): StoredGeneration;
}

/** Progress is written at most this often per generation: the store never slows the socket. */
const PROGRESS_SAVE_MS = 1_000;

/** Transitions (the record of a new one is written by `add`). */
const savedAtOnce: ReadonlySet<RelayEvent['type']> = new Set([
  'started',
  'succeeded',
  'failed',
  'cancelled',
]);

/**
 * The live generations by id (in memory, with their owners) and the store of their records.
 * A record is written before anything reaches ComfyUI and on every transition; progress at
 * most once a second per generation.
 */
export class GenerationRegistry<L extends LiveGeneration = LiveGeneration> {
  private readonly live = new Map<string, L>();
  private readonly progressSavedAt = new Map<string, number>();

  constructor(
    readonly store: GenerationStore,
    private readonly logger: Logger,
  ) {}

  /** Track a new generation; resolves once its record is written. */
  add(entry: L): void | Promise<void> {
    // One that ended before it was registered (a deadline passed during a restart) stays out.
    if (!entry.isTerminal) this.live.set(entry.id, entry);
    return this.persist(entry);
  }

  /** A terminal generation leaves memory; its record stays in the store. */
  retire(entry: L): void {
    this.live.delete(entry.id);
    this.progressSavedAt.delete(entry.id);
    void this.persist(entry);
  }

  /** Write a generation's record now (resolves once written; never rejects: failures are logged). */
  persist(entry: L): void | Promise<void> {
    try {
      const saved = this.store.save(entry.toStored());
      if (saved instanceof Promise)
        return saved.catch((error: unknown) => this.failed(entry, error));
    } catch (error) {
      this.failed(entry, error);
    }
  }

  /** An event of a live generation: transitions are written at once, progress at most once a second. */
  noted(entry: L, event: RelayEvent): void {
    if (savedAtOnce.has(event.type)) {
      void this.persist(entry);
      return;
    }
    if (event.type !== 'progress') return;
    const now = performance.now();
    if (now - (this.progressSavedAt.get(entry.id) ?? -Infinity) < PROGRESS_SAVE_MS) return;
    this.progressSavedAt.set(entry.id, now);
    void this.persist(entry);
  }

  get(id: string): L | undefined {
    return this.live.get(id);
  }

  async record(id: string): Promise<GenerationRecord | undefined> {
    const live = this.live.get(id)?.generation.toRecord();
    if (live) return live;
    const stored = await this.store.get(id);
    return stored && recordOf(stored);
  }

  active(): L[] {
    return [...this.live.values()];
  }

  get size(): number {
    return this.live.size;
  }

  private failed(entry: L, error: unknown): void {
    this.logger.error('could not save a generation', { id: entry.id, error: String(error) });
  }
}

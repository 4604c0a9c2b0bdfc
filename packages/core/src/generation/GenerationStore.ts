import { OrderedMap } from '../util/OrderedMap.js';
import { terminalStatuses, type StoredGeneration } from './GenerationState.js';

/** Which records `list` returns. */
export interface ListOptions {
  /** At most this many (default 50). */
  limit?: number;
  /** Only those created before this time (ms since the epoch): for paging back. */
  before?: number;
  /** Only this requester's (`origin.platform` + `origin.userId`). */
  requester?: { platform?: string; userId: string };
  /** Only finished (succeeded, failed, cancelled) ones. */
  finished?: boolean;
}

/**
 * Where generation records live. The relay writes a record before anything reaches ComfyUI and
 * on every transition (progress at most once a second), and on start takes up again every
 * record that did not finish. Implementations: {@link InMemoryGenerationStore} (tests, one-shot
 * runs) and `@comfyrelay/store-sqlite` (durable, the platform's default). Methods may answer
 * synchronously or with a promise.
 */
export interface GenerationStore {
  /** Insert or replace the record with this id. */
  save(record: StoredGeneration): void | Promise<void>;
  /**
   * Optional: insert or replace several records together, in one transaction where the store
   * has them. With it, the relay writes the transitions of one tick (starts, progress, ends)
   * in one call instead of one each — what a store that commits per call needs so as not to
   * cost the socket reader. Records that must be durable before a POST still go through `save`.
   */
  saveMany?(records: readonly StoredGeneration[]): void | Promise<void>;
  get(id: string): StoredGeneration | undefined | Promise<StoredGeneration | undefined>;
  /** Most recent first. */
  list(options?: ListOptions): StoredGeneration[] | Promise<StoredGeneration[]>;
  /** Every record not yet succeeded, failed or cancelled, oldest first: what a restart takes up. */
  unfinished(): StoredGeneration[] | Promise<StoredGeneration[]>;
  /** Delete finished records that finished before `time`; returns how many. */
  prune(finishedBefore: number): number | Promise<number>;
  delete(id: string): void | Promise<void>;
  close?(): void | Promise<void>;
}

/**
 * Keeps the last `capacity` records (default 1 000): memory stays flat however many come and go.
 * Once full, each save forgets the finished record saved longest ago; unfinished ones stay
 * whatever the capacity. Finished records are kept in their own list, in the order they were
 * last saved, so that forgetting one costs O(1) however many unfinished ones there are.
 */
export class InMemoryGenerationStore implements GenerationStore {
  /** Every record, in the order each was last saved. */
  private readonly records = new Map<string, StoredGeneration>();
  /** The ids of the finished ones, in the same order: the first is the next to forget. */
  private readonly finished = new OrderedMap<string, true>();

  constructor(private readonly capacity = 1_000) {}

  save(record: StoredGeneration): void {
    const id = record.id;
    this.records.delete(id);
    this.records.set(id, record);
    if (terminalStatuses.has(record.status)) this.finished.set(id, true);
    else this.finished.delete(id);
    if (this.records.size <= this.capacity) return;
    const oldest = this.finished.shift();
    if (oldest !== undefined) this.records.delete(oldest);
  }

  get(id: string): StoredGeneration | undefined {
    return this.records.get(id);
  }

  list(options: ListOptions = {}): StoredGeneration[] {
    const { limit = 50, before, requester, finished } = options;
    const found: StoredGeneration[] = [];
    for (const record of [...this.records.values()].sort((a, b) => b.createdAt - a.createdAt)) {
      if (before !== undefined && record.createdAt >= before) continue;
      if (finished !== undefined && terminalStatuses.has(record.status) !== finished) continue;
      if (
        requester &&
        (record.origin?.userId !== requester.userId ||
          (requester.platform !== undefined && record.origin?.platform !== requester.platform))
      )
        continue;
      found.push(record);
      if (found.length >= limit) break;
    }
    return found;
  }

  unfinished(): StoredGeneration[] {
    return [...this.records.values()]
      .filter((record) => !terminalStatuses.has(record.status))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  prune(finishedBefore: number): number {
    let pruned = 0;
    for (const [id, record] of this.records) {
      if (record.finishedAt !== undefined && record.finishedAt < finishedBefore) {
        this.records.delete(id);
        this.finished.delete(id);
        pruned += 1;
      }
    }
    return pruned;
  }

  delete(id: string): void {
    this.records.delete(id);
    this.finished.delete(id);
  }

  get size(): number {
    return this.records.size;
  }
}

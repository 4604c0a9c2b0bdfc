import type { GenerationStore, ListOptions, StoredGeneration } from '@comfyrelay/core';
import type { PlatformMetrics, StoreOperation } from './PlatformMetrics.js';

/**
 * The platform's store as the relay sees it, each operation timed into {@link PlatformMetrics}.
 * A synchronous store stays synchronous (the relay writes on its hot path and checks for a
 * promise): a result is passed through as it came, a promise timed once it settles. Nothing is
 * measured while no one observes; otherwise it costs two `performance.now()` calls.
 */
export class TimedGenerationStore implements GenerationStore {
  readonly close?: () => void | Promise<void>;
  /** Only where the store has it: the relay batches its writes exactly when this is present. */
  readonly saveMany?: (records: readonly StoredGeneration[]) => void | Promise<void>;

  constructor(
    /** The store itself (what `instanceof` checks should look at). */
    readonly inner: GenerationStore,
    private readonly metrics: PlatformMetrics,
  ) {
    if (inner.close) this.close = () => inner.close?.();
    if (inner.saveMany)
      this.saveMany = (records) => this.timed('saveMany', () => inner.saveMany!(records));
  }

  save(record: StoredGeneration): void | Promise<void> {
    return this.timed('save', () => this.inner.save(record));
  }

  get(id: string): StoredGeneration | undefined | Promise<StoredGeneration | undefined> {
    return this.timed('get', () => this.inner.get(id));
  }

  list(options?: ListOptions): StoredGeneration[] | Promise<StoredGeneration[]> {
    return this.timed('list', () => this.inner.list(options));
  }

  unfinished(): StoredGeneration[] | Promise<StoredGeneration[]> {
    return this.timed('unfinished', () => this.inner.unfinished());
  }

  prune(finishedBefore: number): number | Promise<number> {
    return this.timed('prune', () => this.inner.prune(finishedBefore));
  }

  delete(id: string): void | Promise<void> {
    return this.timed('delete', () => this.inner.delete(id));
  }

  private timed<T>(operation: StoreOperation, run: () => T): T {
    if (!this.metrics.storeObserved) return run();
    const started = performance.now();
    let result: T;
    try {
      result = run();
    } catch (error) {
      this.report(operation, started);
      throw error;
    }
    if (!(result instanceof Promise)) {
      this.report(operation, started);
      return result;
    }
    return result.finally(() => this.report(operation, started)) as T;
  }

  private report(operation: StoreOperation, started: number): void {
    this.metrics.storeOperation(operation, (performance.now() - started) / 1000);
  }
}

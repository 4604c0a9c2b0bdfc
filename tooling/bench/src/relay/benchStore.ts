import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InMemoryGenerationStore,
  type GenerationStore,
  type ListOptions,
  type StoredGeneration,
} from '@comfyrelay/core';
import { SqliteGenerationStore } from '@comfyrelay/store-sqlite';

/** `sqlite-inline`: SQLite written on the relay's thread (`writerThread: false`), for comparison. */
export type StoreKind = 'memory' | 'sqlite' | 'sqlite-inline';

/**
 * A relay's store for one benchmark stream: core's in-memory one, or SQLite on a fresh file in a
 * temporary data directory, opened as the platform opens it (`SqliteGenerationStore.open({
 * dataDir })`: WAL, synchronous NORMAL, default retention, records written by its writer
 * thread) or with `writerThread: false`. Either is wrapped in the same counter
 * of writes (an increment or two per call, so both sides pay it alike).
 */
export class BenchStore implements GenerationStore {
  /** Records written (by `save` and `saveMany`) since it was opened. */
  writes = 0;
  /** Commits: `save` calls, and `saveMany` calls (one transaction each). */
  calls = 0;
  /** The inner store's, where it has one (the relay then writes a tick's transitions together). */
  readonly saveMany?: (records: readonly StoredGeneration[]) => void | Promise<void>;

  private constructor(
    readonly kind: StoreKind,
    readonly inner: GenerationStore,
    private readonly dataDir: string | undefined,
  ) {
    const saveMany = inner.saveMany?.bind(inner);
    if (saveMany)
      this.saveMany = (records) => {
        this.writes += records.length;
        this.calls++;
        return saveMany(records);
      };
  }

  static open(kind: StoreKind): BenchStore {
    if (kind === 'memory') return new BenchStore(kind, new InMemoryGenerationStore(), undefined);
    const dataDir = mkdtempSync(join(tmpdir(), 'comfyrelay-bench-'));
    return new BenchStore(
      kind,
      SqliteGenerationStore.open({ dataDir, writerThread: kind === 'sqlite' }),
      dataDir,
    );
  }

  save(record: StoredGeneration): void | Promise<void> {
    this.writes++;
    this.calls++;
    return this.inner.save(record);
  }

  get(id: string) {
    return this.inner.get(id);
  }

  list(options?: ListOptions) {
    return this.inner.list(options);
  }

  unfinished() {
    return this.inner.unfinished();
  }

  prune(finishedBefore: number) {
    return this.inner.prune(finishedBefore);
  }

  delete(id: string) {
    return this.inner.delete(id);
  }

  /** Closes the store and deletes its temporary directory. */
  async close(): Promise<void> {
    await this.inner.close?.();
    if (this.dataDir !== undefined) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

import type { StoredGeneration } from '@comfyrelay/core';

/**
 * Where the store's generation records go. Writes are applied in the order they were handed
 * over, each in one transaction; a durable write returns once it and every write before it are
 * committed, and throws if it failed. A record JSON cannot hold throws before anything of its
 * write is applied (a write nobody waits for may instead be logged as failed).
 */
export interface RecordWriter {
  write(records: readonly StoredGeneration[], durable: boolean): void;
  /** Returns once every write handed over so far is committed (or failed and was logged). */
  flush(): void;
  close(): void;
}

import type { Logger } from '@comfyrelay/core';

/** Where the database lives: a file in a data directory, or memory only (tests). */
export type SqliteStoreLocation = { dataDir: string; file?: string } | { file: ':memory:' };

export type SqliteStoreOptions = SqliteStoreLocation & {
  /** Finished records older than this are deleted (default 30 days; `Infinity` keeps them). */
  retentionMs?: number;
  /** How often expired records are pruned after the first pass at open (default 1 hour). */
  pruneEveryMs?: number;
  /** How long to wait for another process's write lock before giving up (default 5 s). */
  busyTimeoutMs?: number;
  logger?: Logger;
  /**
   * Write records on a thread of their own (default), so that SQLite's work never runs on the
   * relay's thread; `false` writes them on the caller's thread. A database in memory is always
   * written on the caller's thread.
   */
  writerThread?: boolean;
};

export const storeDefaults = {
  file: 'comfyrelay.sqlite',
  retentionMs: 30 * 24 * 60 * 60 * 1000,
  pruneEveryMs: 60 * 60 * 1000,
  busyTimeoutMs: 5_000,
} as const;

import {
  silentLogger,
  type GenerationStore,
  type ListOptions,
  type Logger,
  type StoredGeneration,
} from '@comfyrelay/core';
import type Database from 'better-sqlite3';
import { GenerationTable } from './GenerationTable.js';
import { migrate } from './migrations.js';
import { openDatabase } from './openDatabase.js';
import { describeSqliteError } from './SqliteStoreError.js';
import { storeDefaults, type SqliteStoreOptions } from './SqliteStoreOptions.js';
import { UserSettingsTable, type UserSettings } from './UserSettingsTable.js';
import { InlineWriter } from './writer/InlineWriter.js';
import type { RecordWriter } from './writer/RecordWriter.js';
import { ThreadWriter } from './writer/ThreadWriter.js';

/**
 * The durable {@link GenerationStore}: one SQLite file (WAL). Every method is synchronous.
 * Records are written by a thread of their own with its own connection, in order, so SQLite's
 * work never runs on the relay's socket reader: `save` returns once its record (and every one
 * before it) is committed — what the relay needs before a POST — while `saveMany`, the
 * transitions of a tick, returns at once (a burst of them is committed together once it pauses,
 * within 100 ms). Reads wait until every write handed over is committed, so they see them all.
 * Finished records older than `retentionMs` are pruned at open and then every `pruneEveryMs`.
 */
export class SqliteGenerationStore implements GenerationStore {
  private readonly generations: GenerationTable;
  private readonly settings: UserSettingsTable;
  private readonly retentionMs: number;
  private readonly logger: Logger;
  private writer: RecordWriter;
  private pruneTimer: NodeJS.Timeout | undefined;

  /** Opens (creating it if need be) and migrates the database; throws a {@link SqliteStoreError}. */
  static open(options: SqliteStoreOptions): SqliteGenerationStore {
    const { db, path } = openDatabase(
      options,
      options.busyTimeoutMs ?? storeDefaults.busyTimeoutMs,
    );
    try {
      const schema = migrate(db, path);
      const store = new SqliteGenerationStore(db, path, options);
      store.startWriter(options);
      store.logger.debug('generation store opened', { path, ...schema });
      store.pruneExpired();
      store.startPruning(options.pruneEveryMs ?? storeDefaults.pruneEveryMs);
      return store;
    } catch (error) {
      db.close();
      throw describeSqliteError(error, path);
    }
  }

  private constructor(
    private readonly db: Database.Database,
    /** The database file, or ':memory:'. */
    readonly path: string,
    options: SqliteStoreOptions,
  ) {
    this.generations = new GenerationTable(db);
    this.settings = new UserSettingsTable(db);
    this.retentionMs = options.retentionMs ?? storeDefaults.retentionMs;
    this.logger = options.logger ?? silentLogger;
    this.writer = new InlineWriter(db);
  }

  /** Returns once the record, and every one saved before it, is committed. */
  save(record: StoredGeneration): void {
    this.guard(() => this.writer.write([record], true));
  }

  /**
   * Several records, all or none: what the relay writes at the end of a tick. Returns once they
   * are handed to the writer thread (a record that cannot be copied throws here, and none is
   * written); one JSON cannot hold, or a failure to commit, is logged. Committed within 100 ms,
   * and once a later `save` or read returns. Without the thread, written before it returns.
   */
  saveMany(records: readonly StoredGeneration[]): void {
    if (records.length === 0) return;
    this.guard(() => this.writer.write(records, false));
  }

  get(id: string): StoredGeneration | undefined {
    return this.read(() => this.generations.get(id));
  }

  list(options: ListOptions = {}): StoredGeneration[] {
    return this.read(() => this.generations.list(options));
  }

  unfinished(): StoredGeneration[] {
    return this.read(() => this.generations.unfinished());
  }

  prune(finishedBefore: number): number {
    return this.read(() => this.generations.prune(finishedBefore));
  }

  delete(id: string): void {
    this.read(() => this.generations.delete(id));
  }

  /** Deletes the records that finished more than `retentionMs` before `now`; returns how many. */
  pruneExpired(now = Date.now()): number {
    if (this.retentionMs === Infinity) return 0;
    const pruned = this.prune(now - this.retentionMs);
    if (pruned > 0) this.logger.info('pruned finished generations', { pruned });
    return pruned;
  }

  /** (Re)starts the periodic {@link pruneExpired}; the timer never keeps the process alive. */
  startPruning(intervalMs: number): void {
    this.stopPruning();
    if (this.retentionMs === Infinity) return;
    this.pruneTimer = setInterval(() => {
      try {
        this.pruneExpired();
      } catch (error) {
        this.logger.warn('could not prune finished generations', { error: String(error) });
      }
    }, intervalMs);
    this.pruneTimer.unref();
  }

  stopPruning(): void {
    clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
  }

  // ── The chat layer's per-user preferences (default aspect ratio, model, steps …) ──────────
  // Not part of core's GenerationStore: frontends that want them take this class.

  /** The user's settings, `{}` when none were saved. */
  getSettings(platform: string, userId: string): UserSettings {
    return this.guard(() => this.settings.get(platform, userId));
  }

  /**
   * Merges `values` into the user's settings and returns the result; a key set to `undefined`
   * is forgotten. Values must be JSON (strings, numbers, booleans, null, arrays, plain objects).
   */
  saveSettings(platform: string, userId: string, values: UserSettings): UserSettings {
    return this.guard(() => this.settings.save(platform, userId, values));
  }

  /**
   * Waits for every write handed over, stops pruning and closes the file; later calls throw.
   * Calling it twice is harmless.
   */
  close(): void {
    this.stopPruning();
    if (!this.db.open) return;
    this.guard(() => {
      try {
        this.writer.close();
      } finally {
        this.writer = new InlineWriter(this.db);
        this.db.pragma('optimize');
        this.db.close();
      }
    });
  }

  /** Writes go to a thread of their own, unless the database is in memory or it was turned off. */
  private startWriter(options: SqliteStoreOptions): void {
    if (this.path === ':memory:' || options.writerThread === false) return;
    const db = this.db;
    this.writer = ThreadWriter.start(
      this.path,
      options.busyTimeoutMs ?? storeDefaults.busyTimeoutMs,
      this.logger,
      () => new InlineWriter(db),
    );
  }

  /** Reads (and deletes) through the store's own connection, once every write is committed. */
  private read<T>(operation: () => T): T {
    return this.guard(() => {
      this.writer.flush();
      return operation();
    });
  }

  private guard<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw describeSqliteError(error, this.path);
    }
  }
}

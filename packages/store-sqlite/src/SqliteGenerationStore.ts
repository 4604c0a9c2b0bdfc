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

/**
 * The durable {@link GenerationStore}: one SQLite file (WAL). Every method is synchronous: a
 * save is one prepared upsert, so the relay never waits on its store; most of its cost is the
 * commit, so the relay writes the transitions of a tick together (`saveMany`, one transaction). Finished
 * records older than `retentionMs` are pruned at open and then every `pruneEveryMs`.
 */
export class SqliteGenerationStore implements GenerationStore {
  private readonly generations: GenerationTable;
  private readonly settings: UserSettingsTable;
  private readonly retentionMs: number;
  private readonly logger: Logger;
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
  }

  save(record: StoredGeneration): void {
    this.guard(() => this.generations.save(record));
  }

  /** Several records in one transaction, all or none: what the relay writes at the end of a tick. */
  saveMany(records: readonly StoredGeneration[]): void {
    this.guard(() => this.generations.saveMany(records));
  }

  get(id: string): StoredGeneration | undefined {
    return this.guard(() => this.generations.get(id));
  }

  list(options: ListOptions = {}): StoredGeneration[] {
    return this.guard(() => this.generations.list(options));
  }

  unfinished(): StoredGeneration[] {
    return this.guard(() => this.generations.unfinished());
  }

  prune(finishedBefore: number): number {
    return this.guard(() => this.generations.prune(finishedBefore));
  }

  delete(id: string): void {
    this.guard(() => this.generations.delete(id));
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

  /** Stops pruning and closes the file; later calls throw. Calling it twice is harmless. */
  close(): void {
    this.stopPruning();
    if (!this.db.open) return;
    this.guard(() => {
      this.db.pragma('optimize');
      this.db.close();
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

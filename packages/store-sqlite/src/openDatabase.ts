import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { dataDirectoryError, describeSqliteError } from './SqliteStoreError.js';
import { storeDefaults, type SqliteStoreLocation } from './SqliteStoreOptions.js';

export interface OpenedDatabase {
  db: Database.Database;
  /** The file, or ':memory:'. */
  path: string;
}

/** Opens (creating it and its directory if need be) and configures the database; no schema yet. */
export function openDatabase(location: SqliteStoreLocation, busyTimeoutMs: number): OpenedDatabase {
  const path = databasePath(location);
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (error) {
    throw describeSqliteError(error, path);
  }
  try {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints, not at each commit. A commit is in the WAL file
    // (the OS's page cache) when `save` returns, so killing the process loses nothing that was
    // acknowledged; only an OS crash or power cut can lose the last few commits, never corrupt
    // the file. FULL would fsync every save, a cost the relay's socket reader must not pay.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return { db, path };
  } catch (error) {
    db.close();
    throw describeSqliteError(error, path);
  }
}

function databasePath(location: SqliteStoreLocation): string {
  if (location.file === ':memory:') return ':memory:';
  const { dataDir, file = storeDefaults.file } = location as { dataDir: string; file?: string };
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw dataDirectoryError(dataDir, error);
  }
  return resolve(dataDir, file);
}

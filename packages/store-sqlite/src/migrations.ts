import type Database from 'better-sqlite3';
import { foreignDatabaseError, newerSchemaError } from './SqliteStoreError.js';

/** One step of the schema's history. Steps are never edited once released: add a new one. */
export interface Migration {
  description: string;
  sql: string;
}

/** "CRLY": marks the file as comfyrelay's, so another application's database is refused. */
export const comfyrelayApplicationId = 0x43524c59;

/**
 * The schema's history: step N brings a file from version N-1 to N (`PRAGMA user_version`).
 * Queried fields have columns; the whole record is kept as JSON, so a new record field needs no
 * step. The status lists below must match core's `terminalStatuses` (the contract tests check).
 */
export const migrations: readonly Migration[] = [
  {
    description: 'generations',
    sql: `
      CREATE TABLE generations (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        platform TEXT,
        user_id TEXT,
        workflow TEXT,
        backend TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        parent_id TEXT,
        record TEXT NOT NULL
      );
      CREATE INDEX generations_by_created ON generations (created_at);
      CREATE INDEX generations_unfinished ON generations (created_at)
        WHERE status NOT IN ('succeeded', 'failed', 'cancelled');
      CREATE INDEX generations_by_requester ON generations (user_id, created_at);
      CREATE INDEX generations_by_finished ON generations (finished_at)
        WHERE finished_at IS NOT NULL;
      PRAGMA application_id = ${comfyrelayApplicationId};
    `,
  },
  {
    description: 'per-user settings',
    sql: `
      CREATE TABLE user_settings (
        platform TEXT NOT NULL,
        user_id TEXT NOT NULL,
        settings TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (platform, user_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    // A generation waiting in comfyrelay's own queue has no backend yet: step 1 refused it.
    description: 'generations without a backend yet',
    sql: `
      CREATE TABLE generations_next (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        platform TEXT,
        user_id TEXT,
        workflow TEXT,
        backend TEXT,
        prompt_id TEXT NOT NULL,
        parent_id TEXT,
        record TEXT NOT NULL
      );
      INSERT INTO generations_next
        SELECT id, status, created_at, finished_at, platform, user_id, workflow, backend,
               prompt_id, parent_id, record
        FROM generations ORDER BY rowid;
      DROP TABLE generations;
      ALTER TABLE generations_next RENAME TO generations;
      CREATE INDEX generations_by_created ON generations (created_at);
      CREATE INDEX generations_unfinished ON generations (created_at)
        WHERE status NOT IN ('succeeded', 'failed', 'cancelled');
      CREATE INDEX generations_by_requester ON generations (user_id, created_at);
      CREATE INDEX generations_by_finished ON generations (finished_at)
        WHERE finished_at IS NOT NULL;
    `,
  },
  {
    // A record's graph (most of its size) is the same on every transition: it is written once,
    // in a column of its own, and rows written before keep it inside `record`.
    description: 'the graph in a column of its own',
    sql: `ALTER TABLE generations ADD COLUMN graph TEXT;`,
  },
];

export interface MigrationResult {
  from: number;
  to: number;
}

/**
 * Brings the file to the last version of `steps`, all in one transaction: a crash half-way
 * leaves the file as it was. IMMEDIATE takes the write lock before reading the version, so two
 * processes opening the same new file cannot both migrate it.
 */
export function migrate(
  db: Database.Database,
  path: string,
  steps: readonly Migration[] = migrations,
): MigrationResult {
  const run = db.transaction((): MigrationResult => {
    const from = db.pragma('user_version', { simple: true }) as number;
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId !== comfyrelayApplicationId && (applicationId !== 0 || from !== 0))
      throw foreignDatabaseError(path);
    if (from === 0 && hasTables(db)) throw foreignDatabaseError(path);
    if (from > steps.length) throw newerSchemaError(path, from, steps.length);
    for (const step of steps.slice(from)) db.exec(step.sql);
    if (steps.length > from) db.pragma(`user_version = ${steps.length}`);
    return { from, to: steps.length };
  });
  return run.immediate();
}

function hasTables(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get() !== undefined;
}

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteGenerationStore, SqliteStoreError } from '../src/index.js';
import { comfyrelayApplicationId, migrate, migrations } from '../src/migrations.js';
import { finished, fullGeneration, generation } from './helpers/generations.js';
import { useTemporaryDirectory } from './helpers/temporaryDirectory.js';

const file = 'comfyrelay.sqlite';

function readPragma(path: string, name: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma(name, { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** A file as the first release wrote it: schema 1, rows inserted with that schema's columns. */
function writeVersion1File(path: string, records: ReturnType<typeof generation>[]): void {
  const db = new Database(path);
  migrate(db, path, migrations.slice(0, 1));
  const insert = db.prepare(
    `INSERT INTO generations (id, status, created_at, finished_at, platform, user_id, workflow,
       backend, prompt_id, parent_id, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const record of records)
    insert.run(
      record.id,
      record.status,
      record.createdAt,
      record.finishedAt ?? null,
      record.origin?.platform ?? null,
      record.origin?.userId ?? null,
      record.workflow ?? null,
      record.backend,
      record.promptId,
      record.parentId ?? null,
      JSON.stringify(record),
    );
  db.close();
}

describe('schema migrations', () => {
  const directory = useTemporaryDirectory();

  it('brings a new file to the current schema and marks it as comfyrelay’s', () => {
    SqliteGenerationStore.open({ dataDir: directory() }).close();
    const path = join(directory(), file);
    expect(readPragma(path, 'user_version')).toBe(migrations.length);
    expect(readPragma(path, 'application_id')).toBe(comfyrelayApplicationId);
  });

  it('upgrades a schema 1 file to the current schema and keeps its records', () => {
    const path = join(directory(), file);
    const now = Date.now();
    const records = [
      fullGeneration('full'),
      generation('waiting', now - 2_000, { origin: { platform: 'discord', userId: 'u1' } }),
      {
        ...finished('done', now - 3_000, now - 1_000),
        origin: { platform: 'discord', userId: 'u1' },
      },
    ];
    writeVersion1File(path, records);
    expect(readPragma(path, 'user_version')).toBe(1);

    // The full record finished in 2023: retention would rightly prune it, so keep everything.
    const store = SqliteGenerationStore.open({ dataDir: directory(), retentionMs: Infinity });
    try {
      expect(store.get('full')).toEqual(records[0]);
      expect(store.unfinished()).toEqual([records[1]]);
      expect(store.list({ requester: { platform: 'discord', userId: 'u1' } })).toEqual([
        records[1],
        records[2],
      ]);
      // What the later steps added works on the upgraded file: a record written before its graph
      // had a column of its own is saved again with it there, and read back the same.
      store.save({ ...records[0]!, status: 'running' });
      expect(store.get('full')).toEqual({ ...records[0], status: 'running' });
      store.saveSettings('discord', 'u1', { steps: 30 });
      expect(store.getSettings('discord', 'u1')).toEqual({ steps: 30 });
    } finally {
      store.close();
    }
    expect(readPragma(path, 'user_version')).toBe(migrations.length);
  });

  it('refuses a file written by a newer schema, and leaves it as it was', () => {
    SqliteGenerationStore.open({ dataDir: directory() }).close();
    const path = join(directory(), file);
    const newer = new Database(path);
    newer.pragma('user_version = 7');
    newer.close();

    const opening = () => SqliteGenerationStore.open({ dataDir: directory() });
    expect(opening).toThrow(SqliteStoreError);
    expect(opening).toThrow(
      `the database ${path} was written by a newer comfyrelay (schema 7, this build knows ${migrations.length})`,
    );
    expect(readPragma(path, 'user_version')).toBe(7);
  });

  it('applies all steps or none: a failing step leaves the file as it was', () => {
    const path = join(directory(), file);
    const db = new Database(path);
    const broken = [...migrations, { description: 'broken', sql: 'CREATE TABLE broken (' }];
    expect(() => migrate(db, path, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a SQLite database that belongs to another application', () => {
    const path = join(directory(), file);
    const other = new Database(path);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    other.close();
    expect(() => SqliteGenerationStore.open({ dataDir: directory() })).toThrow(
      `the database ${path} belongs to another application, not comfyrelay`,
    );
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteGenerationStore, SqliteStoreError } from '../src/index.js';
import { generation } from './helpers/generations.js';
import { useTemporaryDirectory } from './helpers/temporaryDirectory.js';

function thrownBy(action: () => unknown): SqliteStoreError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SqliteStoreError);
    return error as SqliteStoreError;
  }
  throw new Error('expected a SqliteStoreError, nothing was thrown');
}

describe('store errors say what is wrong, in words', () => {
  const directory = useTemporaryDirectory();

  it('a data directory that cannot be created', () => {
    const inTheWay = join(directory(), 'not-a-directory');
    writeFileSync(inTheWay, 'a file');
    const error = thrownBy(() =>
      SqliteGenerationStore.open({ dataDir: join(inTheWay, 'comfyrelay') }),
    );
    expect(error.problem).toBe('data-directory');
    expect(error.message).toBe(
      `cannot open the data directory ${inTheWay}/comfyrelay: a part of that path is a file, not a directory`,
    );
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOTDIR');
  });

  it('a data directory that is a file', () => {
    const file = join(directory(), 'data');
    writeFileSync(file, 'a file');
    expect(thrownBy(() => SqliteGenerationStore.open({ dataDir: file })).message).toBe(
      `cannot open the data directory ${file}: a file of that name is in the way`,
    );
  });

  it('a file that is not a database', () => {
    const path = join(directory(), 'comfyrelay.sqlite');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const error = thrownBy(() => SqliteGenerationStore.open({ dataDir: directory() }));
    expect(error.problem).toBe('not-a-database');
    expect(error.message).toBe(`the file ${path} is not a database`);
    expect((error.cause as { code?: string }).code).toBe('SQLITE_NOTADB');
  });

  it('a database that another process holds locked', () => {
    SqliteGenerationStore.open({ dataDir: directory() }).close();
    const path = join(directory(), 'comfyrelay.sqlite');
    // Another connection is, to SQLite's locks, just like another process.
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = thrownBy(() =>
        SqliteGenerationStore.open({ dataDir: directory(), busyTimeoutMs: 0 }),
      );
      expect(error.problem).toBe('locked');
      expect(error.message).toBe(`the database ${path} is locked by another process`);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('a store used after close', () => {
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    store.close();
    store.close();
    const error = thrownBy(() => store.save(generation('late', 1)));
    expect(error.problem).toBe('closed');
    expect(error.message).toBe(`the store on ${join(directory(), 'comfyrelay.sqlite')} is closed`);
  });

  it('a record JSON cannot hold is refused as it is, not blamed on the database', () => {
    const store = SqliteGenerationStore.open({ file: ':memory:' });
    const record = generation('big', 1, { parameters: { seed: 2n ** 64n } });
    expect(() => store.save(record)).toThrow(TypeError);
    expect(() => store.save(record)).toThrow(/BigInt/);
    store.close();
  });
});

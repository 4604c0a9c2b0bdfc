import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteGenerationStore } from '../src/index.js';
import { finished, generation } from './helpers/generations.js';
import { useTemporaryDirectory } from './helpers/temporaryDirectory.js';

describe('SqliteGenerationStore on disk', () => {
  const directory = useTemporaryDirectory();

  it('creates its data directory and one file in WAL mode', () => {
    const dataDir = join(directory(), 'state', 'comfyrelay');
    const store = SqliteGenerationStore.open({ dataDir, file: 'relay.db' });
    expect(store.path).toBe(join(dataDir, 'relay.db'));
    store.close();
    const db = new Database(join(dataDir, 'relay.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('keeps every record, however many: it has no capacity to forget by', () => {
    const store = SqliteGenerationStore.open({ file: ':memory:' });
    for (let index = 0; index < 1_500; index += 1)
      store.save(finished(`g${index}`, index, Date.now()));
    expect(store.get('g0')).toBeDefined();
    expect(store.list({ limit: 2_000 })).toHaveLength(1_500);
    store.close();
  });

  it('keeps what it was given, not the caller’s object: later changes are not saved', () => {
    const store = SqliteGenerationStore.open({ file: ':memory:' });
    const record = generation('g', 1, { parameters: { steps: 20 } });
    store.save(record);
    record.parameters!['steps'] = 99;
    expect(store.get('g')?.parameters).toEqual({ steps: 20 });
    store.close();
  });

  it('finds the records of a closed store when the file is opened again', () => {
    const writer = SqliteGenerationStore.open({ dataDir: directory() });
    writer.save(generation('waiting', 1));
    writer.close();
    expect(existsSync(join(directory(), 'comfyrelay.sqlite'))).toBe(true);
    const reader = SqliteGenerationStore.open({ dataDir: directory() });
    expect(reader.unfinished().map((record) => record.id)).toEqual(['waiting']);
    reader.close();
  });
});

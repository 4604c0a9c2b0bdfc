import type Database from 'better-sqlite3';
import type { StoredGeneration } from '@comfyrelay/core';
import { GraphsOnFile, type GenerationRows } from '../GenerationRows.js';
import { GenerationUpserts } from '../GenerationUpserts.js';
import type { RecordWriter } from './RecordWriter.js';

/**
 * Writes on the caller's thread, through the store's own connection: for a database in memory
 * (no other connection can see it), when the writer thread is turned off, and after it ended.
 */
export class InlineWriter implements RecordWriter {
  private readonly upserts: GenerationUpserts;
  private readonly graphs = new GraphsOnFile();

  constructor(db: Database.Database) {
    this.upserts = new GenerationUpserts(db);
  }

  write(records: readonly StoredGeneration[]): void {
    this.upserts.write(this.graphs.rows(records));
    this.graphs.committed(records);
  }

  /** Rows made elsewhere (what the writer thread left unwritten). */
  writeRows(rows: GenerationRows): void {
    this.upserts.write(rows);
  }

  flush(): void {}

  close(): void {}
}

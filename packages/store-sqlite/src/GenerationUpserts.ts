import type Database from 'better-sqlite3';
import { columnsPerRow, upsertSql, type GenerationRows } from './GenerationRows.js';

/** Writes rows into `generations`: on the relay's thread, or on the writer thread. */
export class GenerationUpserts {
  private readonly upsert: Database.Statement<unknown[]>;
  private readonly writeAll: (rows: GenerationRows) => void;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(upsertSql);
    this.writeAll = db.transaction((rows: GenerationRows) => {
      for (let at = 0; at < rows.length; at += columnsPerRow)
        this.upsert.run(rows.slice(at, at + columnsPerRow));
    });
  }

  /** Every row in one transaction, all or none: most of a write's cost is its commit. */
  write(rows: GenerationRows): void {
    if (rows.length === columnsPerRow) this.upsert.run(rows);
    else this.writeAll(rows);
  }
}

import type Database from 'better-sqlite3';
import type { ListOptions, StoredGeneration } from '@comfyrelay/core';
import { decodeRecord } from './GenerationRows.js';

// Must match core's `terminalStatuses` and the partial index of migration 1, word for word, or
// SQLite will not use the index for `unfinished()`.
const finishedSql = "status IN ('succeeded', 'failed', 'cancelled')";
const unfinishedSql = "status NOT IN ('succeeded', 'failed', 'cancelled')";

/** A row as its reads select it: `[record, graph]`. */
type RecordRow = [record: string, graph: string | null];
type Statement = Database.Statement<unknown[], RecordRow>;

/**
 * Reads and deletes of the `generations` table through prepared statements, prepared once.
 * Rows hold the record as JSON; the other columns are copies of the fields that queries filter
 * and sort on. Rows are written by a `RecordWriter`, as `GenerationRowEncoder` makes them.
 */
export class GenerationTable {
  private readonly selectOne: Statement;
  private readonly selectUnfinished: Statement;
  private readonly deleteFinishedBefore: Database.Statement<[number]>;
  private readonly deleteOne: Database.Statement<[string]>;
  // `list` has 18 shapes of filter; each is prepared the first time it is asked for.
  private readonly listStatements = new Map<string, Statement>();

  constructor(private readonly db: Database.Database) {
    this.selectOne = db
      .prepare<unknown[], RecordRow>('SELECT record, graph FROM generations WHERE id = ?')
      .raw();
    this.selectUnfinished = db
      .prepare<unknown[], RecordRow>(
        `SELECT record, graph FROM generations WHERE ${unfinishedSql} ORDER BY created_at, rowid`,
      )
      .raw();
    this.deleteFinishedBefore = db.prepare('DELETE FROM generations WHERE finished_at < ?');
    this.deleteOne = db.prepare('DELETE FROM generations WHERE id = ?');
  }

  get(id: string): StoredGeneration | undefined {
    const row = this.selectOne.get(id);
    return row === undefined ? undefined : parse(row);
  }

  list(options: ListOptions): StoredGeneration[] {
    const { limit = 50, before, requester, finished } = options;
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (before !== undefined) {
      conditions.push('created_at < ?');
      values.push(before);
    }
    if (requester) {
      conditions.push('user_id = ?');
      values.push(requester.userId);
      if (requester.platform !== undefined) {
        conditions.push('platform = ?');
        values.push(requester.platform);
      }
    }
    if (finished !== undefined) conditions.push(finished ? finishedSql : unfinishedSql);
    values.push(limit);
    return this.listStatement(conditions)
      .all(...values)
      .map(parse);
  }

  unfinished(): StoredGeneration[] {
    return this.selectUnfinished.all().map(parse);
  }

  prune(finishedBefore: number): number {
    return this.deleteFinishedBefore.run(finishedBefore).changes;
  }

  delete(id: string): void {
    this.deleteOne.run(id);
  }

  private listStatement(conditions: string[]): Statement {
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    let statement = this.listStatements.get(where);
    if (!statement) {
      statement = this.db
        .prepare<unknown[], RecordRow>(
          `SELECT record, graph FROM generations ${where} ORDER BY created_at DESC, rowid DESC LIMIT ?`,
        )
        .raw();
      this.listStatements.set(where, statement);
    }
    return statement;
  }
}

function parse([record, graph]: RecordRow): StoredGeneration {
  return decodeRecord(record, graph);
}

import type Database from 'better-sqlite3';
import type { ListOptions, StoredGeneration } from '@comfyrelay/core';

// Must match core's `terminalStatuses` and the partial index of migration 1, word for word, or
// SQLite will not use the index for `unfinished()`.
const finishedSql = "status IN ('succeeded', 'failed', 'cancelled')";
const unfinishedSql = "status NOT IN ('succeeded', 'failed', 'cancelled')";

const upsertSql = `
  INSERT INTO generations
    (id, status, created_at, finished_at, platform, user_id, workflow, backend, prompt_id,
     parent_id, record)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET
    status = excluded.status, created_at = excluded.created_at,
    finished_at = excluded.finished_at, platform = excluded.platform,
    user_id = excluded.user_id, workflow = excluded.workflow, backend = excluded.backend,
    prompt_id = excluded.prompt_id, parent_id = excluded.parent_id, record = excluded.record`;

type Statement = Database.Statement<unknown[], string>;

/**
 * The `generations` table through prepared statements, prepared once. Rows hold the record as
 * JSON; the other columns are copies of the fields that queries filter and sort on.
 */
export class GenerationTable {
  private readonly upsert: Database.Statement<unknown[]>;
  private readonly selectOne: Statement;
  private readonly selectUnfinished: Statement;
  private readonly deleteFinishedBefore: Database.Statement<[number]>;
  private readonly deleteOne: Database.Statement<[string]>;
  private readonly saveAll: (records: readonly StoredGeneration[]) => void;
  private readonly graphJson = new WeakMap<object, string>();
  // `list` has 18 shapes of filter; each is prepared the first time it is asked for.
  private readonly listStatements = new Map<string, Statement>();

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(upsertSql);
    this.selectOne = db
      .prepare<unknown[], string>('SELECT record FROM generations WHERE id = ?')
      .pluck();
    this.selectUnfinished = db
      .prepare<unknown[], string>(
        `SELECT record FROM generations WHERE ${unfinishedSql} ORDER BY created_at, rowid`,
      )
      .pluck();
    this.deleteFinishedBefore = db.prepare('DELETE FROM generations WHERE finished_at < ?');
    this.deleteOne = db.prepare('DELETE FROM generations WHERE id = ?');
    this.saveAll = db.transaction((records: readonly StoredGeneration[]) => {
      for (const record of records) this.save(record);
    });
  }

  save(record: StoredGeneration): void {
    const origin = record.origin;
    this.upsert.run(
      record.id,
      record.status,
      record.createdAt,
      record.finishedAt ?? null,
      origin?.platform ?? null,
      origin?.userId ?? null,
      record.workflow ?? null,
      record.backend ?? null,
      record.promptId,
      record.parentId ?? null,
      this.json(record),
    );
  }

  /**
   * The record as JSON. Its graph (most of it) is the same object in every save of a
   * generation, and is never changed in place: its JSON is made once and spliced in.
   */
  private json(record: StoredGeneration): string {
    const graph = record.graph;
    if (graph === undefined) return JSON.stringify(record);
    let graphJson = this.graphJson.get(graph);
    if (graphJson === undefined) {
      graphJson = JSON.stringify(graph);
      this.graphJson.set(graph, graphJson);
    }
    const { graph: _graph, ...rest } = record;
    const restJson = JSON.stringify(rest);
    return restJson === '{}'
      ? `{"graph":${graphJson}}`
      : `${restJson.slice(0, -1)},"graph":${graphJson}}`;
  }

  /** Every record in one transaction: one commit (the cost of a save is mostly its commit). */
  saveMany(records: readonly StoredGeneration[]): void {
    this.saveAll(records);
  }

  get(id: string): StoredGeneration | undefined {
    const json = this.selectOne.get(id);
    return json === undefined ? undefined : parse(json);
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
        .prepare<unknown[], string>(
          `SELECT record FROM generations ${where} ORDER BY created_at DESC, rowid DESC LIMIT ?`,
        )
        .pluck();
      this.listStatements.set(where, statement);
    }
    return statement;
  }
}

function parse(json: string): StoredGeneration {
  return JSON.parse(json) as StoredGeneration;
}

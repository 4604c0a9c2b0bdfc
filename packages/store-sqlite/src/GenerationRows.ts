import type { StoredGeneration } from '@comfyrelay/core';

/** The columns of one `generations` row, in the order of {@link upsertSql}'s parameters. */
export const columnsPerRow = 12;

/** A record without a graph: the `graph` column's value. */
const noGraph = 'null';

/** A graph column of NULL keeps the graph on file: the graph of a generation is written once. */
export const upsertSql = `
  INSERT INTO generations
    (id, status, created_at, finished_at, platform, user_id, workflow, backend, prompt_id,
     parent_id, record, graph)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET
    status = excluded.status, created_at = excluded.created_at,
    finished_at = excluded.finished_at, platform = excluded.platform,
    user_id = excluded.user_id, workflow = excluded.workflow, backend = excluded.backend,
    prompt_id = excluded.prompt_id, parent_id = excluded.parent_id, record = excluded.record,
    graph = coalesce(excluded.graph, generations.graph)`;

/**
 * Rows of the `generations` table, {@link columnsPerRow} values each, one after the other in one
 * flat array: what a writer upserts in one transaction.
 */
export type GenerationRows = (string | number | null)[];

/**
 * Appends the row of `record`: the record as JSON without its graph, the graph as JSON in a
 * column of its own (NULL when `graphOnFile`: the row keeps the graph it has), and copies of the
 * fields that queries filter and sort on. Throws on a record JSON cannot hold.
 */
export function appendRow(
  rows: GenerationRows,
  record: StoredGeneration,
  graphOnFile: boolean,
): void {
  const { graph, ...rest } = record;
  const origin = record.origin;
  rows.push(
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
    JSON.stringify(rest),
    graphOnFile ? null : graph === undefined ? noGraph : JSON.stringify(graph),
  );
}

/** Records as the writer thread takes them: without the graphs already on file. */
export interface RecordBatch {
  records: StoredGeneration[];
  /** For each record: its graph is on file and was left out. */
  graphOnFile: boolean[];
}

export function rowsOfBatch(batch: RecordBatch): GenerationRows {
  const rows: GenerationRows = [];
  batch.records.forEach((record, index) => appendRow(rows, record, batch.graphOnFile[index]!));
  return rows;
}

/**
 * Knows which graphs are on file, and in whose row. A generation's graph is the same object on
 * every save and is never changed in place, so once a write that holds it is committed it is
 * never written (nor handed to the writer thread) again for that generation. A graph object two
 * generations share (the same graph submitted twice) is on file only in the row it was last
 * committed with: the other's saves carry it whole.
 */
export class GraphsOnFile {
  private readonly graphs = new WeakMap<object, string>();

  rows(records: readonly StoredGeneration[]): GenerationRows {
    const rows: GenerationRows = [];
    for (const record of records) appendRow(rows, record, this.has(record));
    return rows;
  }

  /** The records, those whose graph is on file without it (a copy: the caller's are left alone). */
  batch(records: readonly StoredGeneration[]): RecordBatch {
    const batch: RecordBatch = { records: [], graphOnFile: [] };
    for (const record of records) {
      const onFile = this.has(record);
      if (onFile) {
        const { graph: _graph, ...withoutGraph } = record;
        batch.records.push(withoutGraph);
      } else batch.records.push(record);
      batch.graphOnFile.push(onFile);
    }
    return batch;
  }

  /** These records were committed: their graphs are on file, in their rows. */
  committed(records: readonly StoredGeneration[]): void {
    for (const { id, graph } of records) if (graph !== undefined) this.graphs.set(graph, id);
  }

  private has(record: StoredGeneration): boolean {
    return record.graph !== undefined && this.graphs.get(record.graph) === record.id;
  }
}

/**
 * A record from its row: `record` holds everything but the graph, which is in `graph` (rows
 * written before the graph had a column of its own hold it inside `record`, and `graph` is NULL).
 */
export function decodeRecord(record: string, graph: string | null): StoredGeneration {
  const parsed = JSON.parse(record) as StoredGeneration;
  if (graph !== null && graph !== noGraph)
    parsed.graph = JSON.parse(graph) as NonNullable<StoredGeneration['graph']>;
  return parsed;
}

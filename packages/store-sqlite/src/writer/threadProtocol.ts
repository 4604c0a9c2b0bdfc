import type { MessagePort } from 'node:worker_threads';
import type { GenerationRows, RecordBatch } from '../GenerationRows.js';

/** What the writer thread is started with. */
export interface WriterThreadData {
  path: string;
  busyTimeoutMs: number;
  /** {@link WriterSlot}s, shared with the store's thread. */
  state: SharedArrayBuffer;
  /** Where the thread reports failures; read synchronously by the store's thread. */
  failures: MessagePort;
}

/** The slots of the shared `BigInt64Array`. */
export const WriterSlot = {
  /** The sequence number of the last write committed or failed: the store waits on it. */
  Handled: 0,
  /** A {@link WriterReadiness}. */
  Readiness: 1,
} as const;
export type WriterSlot = (typeof WriterSlot)[keyof typeof WriterSlot];

export const WriterReadiness = {
  Starting: 0n,
  Ready: 1n,
  /** The thread could not open the database; its failure (sequence 0) says why. */
  Failed: 2n,
  /** The thread has ended: nothing more will be written by it. */
  Gone: 3n,
} as const;

/**
 * The store's thread to the writer thread. A durable write comes as rows, made on the store's
 * thread (so that a record JSON cannot hold throws to its caller); the others as records, which
 * copy to the thread faster than their JSON would, turned into rows there.
 */
export type WriteCommand =
  | { kind: 'rows'; seq: bigint; rows: GenerationRows }
  | { kind: 'records'; seq: bigint; batch: RecordBatch };
/** `flush`: commit what waits now (a read comes); `close`: that, then close the connection. */
export type WriterCommand = WriteCommand | { kind: 'flush' | 'close'; seq: bigint };

/** The writer thread to the store's thread: a write (or the opening, at 0) that failed. */
export interface WriterFailure {
  seq: bigint;
  message: string;
  /** SQLite's error code (`SQLITE_FULL` …), when it was SQLite's. */
  code?: string;
  /** How many rows the failed write held. */
  rows: number;
}

// The writer thread: upserts the generation rows the store hands over, in order, so that the
// relay's socket reader never waits on SQLite.
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { columnsPerRow, rowsOfBatch, type GenerationRows } from '../GenerationRows.js';
import { GenerationUpserts } from '../GenerationUpserts.js';
import {
  WriterReadiness,
  WriterSlot,
  type WriteCommand,
  type WriterCommand,
  type WriterFailure,
  type WriterThreadData,
} from './threadProtocol.js';

const { path, busyTimeoutMs, state, failures } = workerData as WriterThreadData;
const slots = new BigInt64Array(state);

function report(seq: bigint, error: unknown, rows: number): void {
  const code = (error as { code?: unknown } | undefined)?.code;
  const failure: WriterFailure = {
    seq,
    message: error instanceof Error ? error.message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
    rows,
  };
  failures.postMessage(failure);
}

function recordsIn(command: WriteCommand): number {
  return command.kind === 'rows'
    ? command.rows.length / columnsPerRow
    : command.batch.records.length;
}

/** Sets a slot and wakes the store's thread if it waits on it (after any failure was posted). */
function publish(slot: WriterSlot, value: bigint): void {
  Atomics.store(slots, slot, value);
  Atomics.notify(slots, slot);
}

function open(): { db: Database.Database; upserts: GenerationUpserts } | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: busyTimeoutMs, fileMustExist: true });
    // Per connection, as the store's own (see openDatabase): a commit is in the WAL file.
    db.pragma('synchronous = NORMAL');
    return { db, upserts: new GenerationUpserts(db) };
  } catch (error) {
    db?.close();
    report(0n, error, 0);
    return undefined;
  }
}

/**
 * The writer yields the CPU to everything else in the process, the relay's socket reader first:
 * on a busy machine a commit may wait, the reader must not. A durable save that waits for this
 * thread leaves the CPU to it. (Linux: a thread's own nice value; elsewhere it keeps the
 * process's priority.)
 */
function yieldTheCpu(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(threadId, constants.priority.PRIORITY_LOW);
  } catch {
    // Not Linux, or not allowed: the thread runs at the process's priority.
  }
}

yieldTheCpu();
const opened = open();
publish(WriterSlot.Readiness, opened ? WriterReadiness.Ready : WriterReadiness.Failed);
// However it ends, the store's thread must not wait for it any longer.
process.on('exit', () => {
  publish(WriterSlot.Readiness, WriterReadiness.Gone);
  Atomics.notify(slots, WriterSlot.Handled);
});

/**
 * Writes handed over in a burst are committed together once it pauses: {@link QUIET_MS} without a
 * new one, or {@link MOST_MS} after the first — so that SQLite's work lands in the relay's pauses,
 * not beside its socket reader while a burst streams in. A durable write, a flush (a read) or
 * close commits at once, with everything before it.
 */
const QUIET_MS = 20;
const MOST_MS = 100;
const waiting: WriteCommand[] = [];
let firstWaitingAt = 0;
let commitTimer: NodeJS.Timeout | undefined;

/** Every waiting write in one transaction; a record JSON cannot hold fails its own write only. */
function commitWaiting(): void {
  clearTimeout(commitTimer);
  commitTimer = undefined;
  if (waiting.length === 0) return;
  const commands = waiting.splice(0);
  const rows: GenerationRows = [];
  const written: WriteCommand[] = [];
  for (const command of commands) {
    if (command.kind === 'rows') {
      append(rows, command.rows);
      written.push(command);
      continue;
    }
    try {
      append(rows, rowsOfBatch(command.batch));
      written.push(command);
    } catch (error) {
      report(command.seq, error, recordsIn(command));
    }
  }
  try {
    opened!.upserts.write(rows);
  } catch (error) {
    for (const command of written) report(command.seq, error, recordsIn(command));
  }
  publish(WriterSlot.Handled, commands.at(-1)!.seq);
}

/** One by one: a spread of a reconnect's 10,000 records would pass more arguments than V8 takes. */
function append(into: GenerationRows, more: GenerationRows): void {
  for (const value of more) into.push(value);
}

function commitSoon(): void {
  const now = performance.now();
  if (waiting.length === 1) firstWaitingAt = now;
  clearTimeout(commitTimer);
  commitTimer = setTimeout(commitWaiting, Math.min(QUIET_MS, firstWaitingAt + MOST_MS - now));
}

parentPort!.on('message', (command: WriterCommand) => {
  if (opened === undefined) return;
  switch (command.kind) {
    case 'records':
      waiting.push(command);
      commitSoon();
      return;
    case 'rows':
      waiting.push(command);
      commitWaiting();
      return;
    case 'flush':
      commitWaiting();
      publish(WriterSlot.Handled, command.seq);
      return;
    case 'close':
      commitWaiting();
      try {
        opened.db.close();
      } catch (error) {
        report(command.seq, error, 0);
      }
      publish(WriterSlot.Handled, command.seq);
      parentPort!.close();
  }
});

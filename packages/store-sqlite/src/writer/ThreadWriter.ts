import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import type { Logger } from '@comfyrelay/core';
import type { StoredGeneration } from '@comfyrelay/core';
import { columnsPerRow, GraphsOnFile, rowsOfBatch } from '../GenerationRows.js';
import { describeSqliteError, SqliteStoreError } from '../SqliteStoreError.js';
import type { InlineWriter } from './InlineWriter.js';
import type { RecordWriter } from './RecordWriter.js';
import {
  WriterReadiness,
  WriterSlot,
  type WriteCommand,
  type WriterCommand,
  type WriterFailure,
  type WriterThreadData,
} from './threadProtocol.js';

/** How long past the busy timeout a write may take before the writer counts as hung. */
const ANSWER_GRACE_MS = 30_000;

/**
 * Hands the store's writes to a thread of their own with its own connection, so that a commit
 * never runs on the relay's socket reader. A durable write blocks (Atomics.wait) until the
 * thread has committed it and everything before it; the others return at once and are committed
 * in order, a burst together once it pauses (see writerThread). Writes the thread has not yet
 * answered are kept: if it ends, they are written again through `fallback`, which takes every
 * write after that.
 */
export class ThreadWriter implements RecordWriter {
  private posted = 0n;
  /** Handed over and not yet answered, oldest first. */
  private readonly unanswered: WriteCommand[] = [];
  private readonly graphs = new GraphsOnFile();
  private fallbackWriter: InlineWriter | undefined;
  private ended = false;

  private constructor(
    private readonly worker: Worker,
    private readonly slots: BigInt64Array,
    private readonly failures: MessagePort,
    private readonly path: string,
    private readonly waitMs: number,
    private readonly logger: Logger,
    private readonly fallback: () => InlineWriter,
  ) {
    // Failures of writes nobody waits for, reported while the relay is idle.
    failures.on('message', (failure: WriterFailure) => this.logFailure(failure));
    failures.unref();
    worker.on('error', (error) =>
      logger.error('the store’s writer thread failed', { path, error: String(error) }),
    );
    // The thread marks its own end too (see writerThread), which this thread sees even while
    // it waits; a thread that was terminated cannot.
    worker.once('exit', () => (this.ended = true));
    worker.unref();
  }

  /**
   * The thread does not keep the process alive: a process that ends by itself (its event loop
   * empty, no `close()`) first has what it handed over committed.
   */
  private readonly flushAtExit = (): void => {
    try {
      this.flush();
    } catch (error) {
      this.logger.error('could not save generations before exiting', { error: String(error) });
    }
  };

  /** Starts the thread and waits until it has opened the database; throws if it could not. */
  static start(
    path: string,
    busyTimeoutMs: number,
    logger: Logger,
    fallback: () => InlineWriter,
  ): ThreadWriter {
    const slots = new BigInt64Array(new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const workerData: WriterThreadData = {
      path,
      busyTimeoutMs,
      state: slots.buffer as SharedArrayBuffer,
      failures: port2,
    };
    const worker = new Worker(writerThreadModule(), { workerData, transferList: [port2] });
    const writer = new ThreadWriter(
      worker,
      slots,
      port1,
      path,
      busyTimeoutMs + ANSWER_GRACE_MS,
      logger,
      fallback,
    );
    writer.awaitReadiness();
    process.on('beforeExit', writer.flushAtExit);
    return writer;
  }

  write(records: readonly StoredGeneration[], durable: boolean): void {
    if (this.fallbackWriter === undefined && this.gone()) this.takeOver();
    if (this.fallbackWriter !== undefined) {
      this.fallbackWriter.write(records);
      return;
    }
    this.forgetAnswered();
    const seq = this.posted + 1n;
    const command: WriteCommand = durable
      ? { kind: 'rows', seq, rows: this.graphs.rows(records) }
      : { kind: 'records', seq, batch: this.graphs.batch(records) };
    // Throws (DataCloneError) on a record that cannot be copied: nothing was handed over then.
    this.worker.postMessage(command);
    this.posted = seq;
    this.unanswered.push(command);
    if (!durable) return;
    this.awaitHandled(seq);
    this.graphs.committed(records);
  }

  flush(): void {
    if (this.fallbackWriter !== undefined) return;
    if (Atomics.load(this.slots, WriterSlot.Handled) >= this.posted) return;
    this.command('flush');
  }

  /** Waits for every write handed over, then lets the thread close its connection and end. */
  close(): void {
    process.off('beforeExit', this.flushAtExit);
    try {
      if (this.fallbackWriter === undefined && !this.gone()) this.command('close');
    } finally {
      this.failures.close();
      void this.worker.terminate();
    }
  }

  /** Sends the thread a command that writes nothing, and waits until it has carried it out. */
  private command(kind: 'flush' | 'close'): void {
    const seq = ++this.posted;
    const command: WriterCommand = { kind, seq };
    this.worker.postMessage(command);
    this.awaitHandled(seq);
  }

  private awaitReadiness(): void {
    const deadline = performance.now() + this.waitMs;
    let readiness = Atomics.load(this.slots, WriterSlot.Readiness);
    while (readiness === WriterReadiness.Starting) {
      if (performance.now() > deadline) throw this.hung();
      Atomics.wait(this.slots, WriterSlot.Readiness, readiness, 100);
      readiness = Atomics.load(this.slots, WriterSlot.Readiness);
    }
    if (readiness === WriterReadiness.Ready) return;
    const failure = this.takeFailures(0n);
    void this.worker.terminate();
    throw failure
      ? this.describe(failure)
      : new SqliteStoreError('failed', `the store’s writer thread for ${this.path} ended`);
  }

  /**
   * Blocks until the thread has answered write `seq` (and so every one before it); throws that
   * write's failure. If the thread ended first, what it left unanswered is written here.
   */
  private awaitHandled(seq: bigint): void {
    const deadline = performance.now() + this.waitMs;
    for (;;) {
      const handled = Atomics.load(this.slots, WriterSlot.Handled);
      if (handled >= seq) break;
      if (this.gone()) {
        this.takeOver();
        return;
      }
      if (performance.now() > deadline) throw this.hung();
      Atomics.wait(this.slots, WriterSlot.Handled, handled, 100);
    }
    const failure = this.takeFailures(seq);
    this.forgetAnswered();
    if (failure) throw this.describe(failure);
  }

  /** Reads every failure reported so far: logs them, and returns the one of write `seq`. */
  private takeFailures(seq: bigint): WriterFailure | undefined {
    let own: WriterFailure | undefined;
    for (;;) {
      const received = receiveMessageOnPort(this.failures);
      if (received === undefined) return own;
      const failure = received.message as WriterFailure;
      if (failure.seq === seq) own = failure;
      else this.logFailure(failure);
    }
  }

  private logFailure(failure: WriterFailure): void {
    this.logger.error('could not save generations', {
      count: failure.rows,
      error: (this.describe(failure) as Error).message,
    });
  }

  private describe(failure: WriterFailure): unknown {
    const error = Object.assign(new Error(failure.message), failure.code && { code: failure.code });
    return describeSqliteError(error, this.path);
  }

  private gone(): boolean {
    return this.ended || Atomics.load(this.slots, WriterSlot.Readiness) === WriterReadiness.Gone;
  }

  /** The thread ended: what it had not answered is written again here, and so is what follows. */
  private takeOver(): void {
    const handled = Atomics.load(this.slots, WriterSlot.Handled);
    this.takeFailures(-1n);
    const left = this.unanswered
      .filter((command) => command.seq > handled)
      .map((command) => (command.kind === 'rows' ? command.rows : rowsOfBatch(command.batch)));
    this.unanswered.length = 0;
    this.logger.warn('the store’s writer thread ended: writing on the relay’s thread', {
      path: this.path,
      rewritten: left.reduce((sum, rows) => sum + rows.length / columnsPerRow, 0),
    });
    this.fallbackWriter = this.fallback();
    for (const rows of left) this.fallbackWriter.writeRows(rows);
  }

  private forgetAnswered(): void {
    const handled = Atomics.load(this.slots, WriterSlot.Handled);
    let answered = 0;
    while (answered < this.unanswered.length && this.unanswered[answered]!.seq <= handled)
      answered++;
    if (answered > 0) this.unanswered.splice(0, answered);
  }

  private hung(): SqliteStoreError {
    return new SqliteStoreError(
      'failed',
      `the store’s writer thread for ${this.path} did not answer within ${Math.round(this.waitMs / 1000)} s`,
    );
  }
}

/**
 * The thread's module. A worker runs JavaScript only: from the sources (the package's own
 * tests), that is the built module beside them in dist/.
 */
function writerThreadModule(): URL {
  const own = new URL('./writerThread.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return own;
  const built = new URL(
    own.href.replace(/\/src\/writer\/writerThread\.js$/, '/dist/writer/writerThread.js'),
  );
  if (!existsSync(fileURLToPath(built)))
    throw new Error(
      `the store’s writer thread is not built (${fileURLToPath(built)}): run \`pnpm build\``,
    );
  return built;
}

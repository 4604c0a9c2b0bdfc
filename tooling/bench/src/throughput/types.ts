import type { FakeComfy } from '../fakeComfyControl.js';

export interface RunOptions {
  prompts: number;
  withStatus: boolean;
  /** Bound on one run: stream and settling together. */
  timeoutMs: number;
}

export interface RunResult {
  /** Messages the server streamed for the tracked prompts. */
  messages: number;
  /** Of those, how many the client's handlers saw within the time bound. */
  received: number;
  /** From "go" to the last message handled by the client's whole handler chain. */
  ingestMs: number | undefined;
  /** The socket reader's thread's CPU time over the same window (Linux; relay variants). */
  readerCpuMs?: number | undefined;
  /** From "go" until every tracked job settled (where the client settles jobs itself). */
  settleMs?: number | undefined;
  settled?: number;
  failed?: number;
  /** Progress updates the application received (interpreted progress). */
  progressEvents: number;
  /** Relay events the application's subscribers consumed, every type. */
  eventsConsumed?: number;
  /** Records the relay's store wrote from "go" to the end of ingest (a relay with a BenchStore). */
  storeWrites?: number;
  /** The store calls that wrote them (`save`, or `saveMany` for several at once). */
  storeCommits?: number;
  /** … and in all, from the relay's start to the end of the run. */
  storeWritesTotal?: number;
  /** HTTP requests the client made while the stream ran, by route. */
  requests: Record<string, number>;
  /** The run hit its time bound. */
  timedOut?: boolean;
  /** What went wrong: a crash, a timeout, a failed job's error. */
  error?: string;
}

export type Variant = (server: FakeComfy, options: RunOptions) => Promise<RunResult>;

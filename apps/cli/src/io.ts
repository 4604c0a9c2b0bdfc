import type { Writable } from 'node:stream';

/** A stream the CLI writes to; terminals also tell their size. */
export type OutputStream = Writable & { isTTY?: boolean; columns?: number; rows?: number };

/** Settings for a simulator the CLI starts on its own (tests shorten the step delay). */
export interface SimulatorOverrides {
  stepDelayMs?: number;
  outputDir?: string;
}

/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands shut down cleanly. */
  signal?: AbortSignal;
  simulator?: SimulatorOverrides;
}

export function processIO(overrides: Partial<CliIO> = {}): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    ...overrides,
  };
}

/**
 * Writes at once; returns a promise only when the stream is backed up, settling on 'drain'.
 * A broadcaster sink returning it lets the send timeout see a stdout nobody reads.
 */
export function writeTo(stream: OutputStream, text: string): Promise<void> | void {
  if (stream.write(text)) return;
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', done);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the output stream was closed'));
    stream.on('drain', onDrain);
    stream.on('error', done);
    stream.on('close', onClose);
  });
}

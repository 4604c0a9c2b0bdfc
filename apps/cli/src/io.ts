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
  /**
   * Aborted on SIGINT/SIGTERM, or when stdout is closed under it (reason "EPIPE"): long-running
   * commands cancel what they started and shut down cleanly.
   */
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
 * A broadcaster sink returning it lets the send timeout see a stdout nobody reads. A stream
 * that fails or closes meanwhile settles it too: the output is gone, and the command hears of
 * it through its signal (bin.ts), not through an error in the middle of its work.
 */
export function writeTo(stream: OutputStream, text: string): Promise<void> | void {
  // A closed stdout (`| head -1`) takes nothing more.
  if (stream.destroyed || stream.writableEnded) return;
  if (stream.write(text)) return;
  if (stream.destroyed) return;
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

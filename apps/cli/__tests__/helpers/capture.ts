import { Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO, SimulatorOverrides } from '../../src/index.js';

/** A stdout/stderr stand-in that keeps what was written and lets a test await a given output. */
export class Capture extends Writable {
  readonly chunks: string[] = [];
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  private waiters: { test: (text: string) => boolean; resolve: (text: string) => void }[] = [];

  constructor(options: { isTTY?: boolean; columns?: number; rows?: number } = {}) {
    super();
    if (options.isTTY !== undefined) this.isTTY = options.isTTY;
    if (options.columns !== undefined) this.columns = options.columns;
    if (options.rows !== undefined) this.rows = options.rows;
  }

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.chunks.push(chunk.toString());
    const text = this.text;
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.test(text)) return true;
      waiter.resolve(text);
      return false;
    });
    callback();
  }

  get text(): string {
    return this.chunks.join('');
  }

  lines(): string[] {
    return this.text.split('\n').filter((line) => line.length > 0);
  }

  /** Resolves (with everything written so far) as soon as the output matches. */
  waitFor(pattern: RegExp): Promise<string> {
    if (pattern.test(this.text)) return Promise.resolve(this.text);
    return new Promise((resolve) =>
      this.waiters.push({ test: (text) => pattern.test(text), resolve }),
    );
  }
}

export interface TestIO extends CliIO {
  stdout: Capture;
  stderr: Capture;
}

export function testIO(
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    signal?: AbortSignal;
    simulator?: SimulatorOverrides;
    stdout?: Capture;
  } = {},
): TestIO {
  return {
    stdout: options.stdout ?? new Capture(),
    stderr: new Capture(),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.signal ? { signal: options.signal } : {}),
    simulator: options.simulator ?? { stepDelayMs: 5 },
  };
}

export async function tempDir(
  prefix = 'comfyrelay-cli-',
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The JSON lines of a `--json` run (every stdout line must be JSON). */
export function jsonLines(capture: Capture): Record<string, unknown>[] {
  return capture.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

export { PNG_MAGIC } from '@comfyrelay/testkit';

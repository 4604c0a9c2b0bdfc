import { readFileSync } from 'node:fs';
import type { ServerStats } from '../fakeProtocol.js';

/**
 * Counts the messages of one stream. It ends at the turn of the event loop after the last one:
 * by then every microtask it caused has run (the client's own handlers, events handed to
 * subscribers), for every client alike.
 */
export class StreamCounter {
  received = 0;
  private startedAt = 0;
  private endedAt: number | undefined;
  private cpuAtStart: number | undefined;
  private cpuAtEnd: number | undefined;
  private counting = false;
  private finish!: () => void;
  readonly done: Promise<void> = new Promise((resolve) => (this.finish = resolve));

  constructor(readonly expected: number) {}

  start(): void {
    this.counting = true;
    this.cpuAtStart = threadCpuMs();
    this.startedAt = performance.now();
  }

  count(): void {
    if (!this.counting) return;
    this.received++;
    if (this.received === this.expected) setImmediate(() => this.end());
  }

  get ingestMs(): number | undefined {
    return this.endedAt === undefined ? undefined : this.endedAt - this.startedAt;
  }

  /**
   * The CPU time this thread (the socket reader's) spent over the same window: what the client
   * costs the reader, whatever the other processes on the machine did meanwhile (Linux only).
   */
  get readerCpuMs(): number | undefined {
    return this.cpuAtStart === undefined || this.cpuAtEnd === undefined
      ? undefined
      : this.cpuAtEnd - this.cpuAtStart;
  }

  since(): number {
    return performance.now() - this.startedAt;
  }

  private end(): void {
    this.endedAt = performance.now();
    this.cpuAtEnd = threadCpuMs();
    this.finish();
  }
}

/** This thread's time on a CPU so far, in ms, from the scheduler's own count (ns); Linux only. */
export function threadCpuMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function requestDelta(before: ServerStats, after: ServerStats): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [route, count] of Object.entries(after.requests)) {
    const diff = count - (before.requests[route] ?? 0);
    if (diff > 0) delta[route] = diff;
  }
  return delta;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

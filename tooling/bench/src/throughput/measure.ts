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
  private counting = false;
  private finish!: () => void;
  readonly done: Promise<void> = new Promise((resolve) => (this.finish = resolve));

  constructor(readonly expected: number) {}

  start(): void {
    this.counting = true;
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

  since(): number {
    return performance.now() - this.startedAt;
  }

  private end(): void {
    this.endedAt = performance.now();
    this.finish();
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

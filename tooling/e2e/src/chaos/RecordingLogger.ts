import type { Logger } from '@comfyrelay/core';

export interface LogEntry {
  /** `performance.now()` when it was logged. */
  at: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  context: Record<string, unknown> | undefined;
}

/** A core Logger that keeps every entry at `info` and up (debug is counted only). */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  debugCount = 0;

  debug(): void {
    this.debugCount += 1;
  }

  info(message: string, context?: Record<string, unknown>): void {
    this.entries.push({ at: performance.now(), level: 'info', message, context });
  }

  warn(message: string, context?: Record<string, unknown>): void {
    this.entries.push({ at: performance.now(), level: 'warn', message, context });
  }

  error(message: string, context?: Record<string, unknown>): void {
    this.entries.push({ at: performance.now(), level: 'error', message, context });
  }

  /** How many entries start with `prefix`. */
  count(prefix: string): number {
    return this.entries.filter((entry) => entry.message.startsWith(prefix)).length;
  }

  /** The generation ids named by entries starting with `prefix`. */
  idsOf(prefix: string): Set<string> {
    const ids = new Set<string>();
    for (const entry of this.entries)
      if (entry.message.startsWith(prefix) && typeof entry.context?.['id'] === 'string')
        ids.add(entry.context['id']);
    return ids;
  }
}

import type { Logger } from '@comfyrelay/core';

/** A logger that keeps every line, to show when a test fails and to search for secrets. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (message: string, context?: Record<string, unknown>): void => {
      lines.push(`${level}: ${message}${context ? ` ${JSON.stringify(context)}` : ''}`);
    };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

import type { Logger } from '../../../src/util/Logger.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  context: Record<string, unknown> | undefined;
}

/**
 * A logger that keeps every line, and notes (never throws: it is called from socket handlers)
 * each line that could not be written as one short line, as createConsoleLogger writes it.
 */
export function recordingLogger(): Logger & {
  lines: LogLine[];
  unwritable: string[];
  count(level?: LogLine['level']): number;
} {
  const lines: LogLine[] = [];
  const unwritable: string[] = [];
  const write =
    (level: LogLine['level']) => (message: string, context?: Record<string, unknown>) => {
      try {
        const encoded = context ? JSON.stringify(context) : '';
        if (message.length + encoded.length > 2_000)
          unwritable.push(`${message.length + encoded.length} characters: ${message.slice(0, 80)}`);
      } catch (error) {
        unwritable.push(`${String(error)}: ${message.slice(0, 80)}`);
      }
      lines.push({ level, message, context });
    };
  return {
    lines,
    unwritable,
    count: (level) => (level ? lines.filter((l) => l.level === level).length : lines.length),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

/** Uncaught exceptions and unhandled rejections of this process while a test runs. */
export function watchProcess(): { crashes: string[]; stop(): void } {
  const crashes: string[] = [];
  const onError = (error: unknown) => crashes.push(`uncaught: ${describe(error)}`);
  const onRejection = (reason: unknown) => crashes.push(`unhandled rejection: ${describe(reason)}`);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onRejection);
  return {
    crashes,
    stop() {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onRejection);
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message}\n${error.stack ?? ''}`
    : String(error);
}

/** Let queued microtasks and I/O callbacks run (promise chains of stubs resolve), without a timer. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

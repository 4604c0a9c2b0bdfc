import type { Logger, LogLevel } from '@comfyrelay/core';
import { RefusedError } from './errors.js';
import type { OutputStream } from './io.js';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function isLogLevel(value: string | undefined): value is LogLevel {
  return value !== undefined && Object.hasOwn(order, value);
}

/**
 * Logs to the given stream (stderr), never stdout. `around` lets a live terminal view move its
 * progress lines out of the way while a log line is printed.
 */
export function createStreamLogger(
  stream: OutputStream,
  level: LogLevel,
  around: (print: () => void) => void = (print) => print(),
): Logger {
  const write = (at: LogLevel, message: string, context?: Record<string, unknown>) => {
    if (order[at] < order[level]) return;
    const extra = context && Object.keys(context).length > 0 ? ` ${JSON.stringify(context)}` : '';
    around(() => stream.write(`comfyrelay ${at}: ${message}${extra}\n`));
  };
  return {
    debug: (m, c) => write('debug', m, c),
    info: (m, c) => write('info', m, c),
    warn: (m, c) => write('warn', m, c),
    error: (m, c) => write('error', m, c),
  };
}

/** `COMFYRELAY_LOG_LEVEL` wins over the command's default; a value that is not a level is refused. */
export function logLevelFrom(
  env: Record<string, string | undefined>,
  fallback: LogLevel,
): LogLevel {
  const given = env['COMFYRELAY_LOG_LEVEL'];
  if (given === undefined || given.trim() === '') return fallback;
  const wanted = given.trim().toLowerCase();
  if (isLogLevel(wanted)) return wanted;
  throw new RefusedError(
    `COMFYRELAY_LOG_LEVEL is "${given}"; use one of ${Object.keys(order).join(', ')}, or unset it (default ${fallback})`,
  );
}

import type { Logger, LogLevel } from '@comfyrelay/core';
import { pino, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import { REDACTED, secretHider } from './redactSecrets.js';

export interface PlatformLoggerOptions {
  level: LogLevel;
  /** auto: pretty on a terminal, JSON lines otherwise. */
  format: 'auto' | 'json' | 'pretty';
  /** Values never written, wherever they appear (messages, URLs in errors, context). */
  secrets: readonly string[];
  /** Default: standard output. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean; fd?: number };
}

/** Keys whose values are hidden even when nobody listed the value as a secret. */
const SECRET_KEYS = ['token', 'password', 'accessToken', 'authorization', 'secret', 'cookie'];

/**
 * The platform's logger: pino, JSON by default and pretty on a terminal, with every configured
 * secret (and any value under a secret-sounding key) replaced by "[redacted]" before a byte
 * leaves the process.
 */
export function createPlatformLogger(options: PlatformLoggerOptions): Logger {
  const destination = options.destination ?? process.stdout;
  const prettyOutput =
    options.format === 'pretty' || (options.format === 'auto' && destination.isTTY === true);
  const hide = secretHider(options.secrets);
  const target: { write(text: string): unknown } = prettyOutput
    ? pretty({
        colorize: destination.isTTY === true,
        destination,
        sync: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
      })
    : destination;
  const stream: DestinationStream = { write: (line: string) => target.write(hide(line)) };
  const log = pino(
    {
      level: options.level,
      base: null,
      redact: {
        paths: SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
        censor: REDACTED,
      },
    },
    stream,
  );
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, context?: Record<string, unknown>): void => {
      if (context && Object.keys(context).length > 0) log[level](context, message);
      else log[level](message);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

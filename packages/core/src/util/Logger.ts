export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Logs to stderr so stdout stays clean for `--json` output. */
export function createConsoleLogger(
  level: LogLevel = 'info',
  scope = 'comfyrelay',
  stream: { write(chunk: string): unknown } = process.stderr,
): Logger {
  const write = (at: LogLevel, message: string, context?: Record<string, unknown>) => {
    if (order[at] < order[level]) return;
    const extra = context && Object.keys(context).length > 0 ? ` ${JSON.stringify(context)}` : '';
    stream.write(`[${scope}] ${at}: ${message}${extra}\n`);
  };
  return {
    debug: (m, c) => write('debug', m, c),
    info: (m, c) => write('info', m, c),
    warn: (m, c) => write('warn', m, c),
    error: (m, c) => write('error', m, c),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

import type { Logger } from '@comfyrelay/core';

const HIDDEN = '<bot token>';

/**
 * A logger that never writes the bot token: errors of HTTP clients quote request URLs, and a
 * Bot API URL holds the token.
 */
export function redactingLogger(logger: Logger, token: string): Logger {
  const hide = (text: string) => text.split(token).join(HIDDEN);
  const write =
    (level: keyof Logger) =>
    (message: string, context?: Record<string, unknown>): void => {
      logger[level](hide(message), context && redactedContext(context, hide));
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function redactedContext(
  context: Record<string, unknown>,
  hide: (text: string) => string,
): Record<string, unknown> {
  try {
    return JSON.parse(hide(JSON.stringify(context))) as Record<string, unknown>;
  } catch {
    return { context: hide(String(context)) };
  }
}

/** One line about an error, with the token hidden. */
export function redactedError(error: unknown, token: string): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(token).join(HIDDEN);
}

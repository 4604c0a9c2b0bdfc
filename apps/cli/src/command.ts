import { ComfyRelayError } from '@comfyrelay/core';
import { CliError, messageOf, RefusedError, UsageError } from './errors.js';
import { writeTo, type CliIO } from './io.js';

export type CommandFn = (argv: string[], io: CliIO) => Promise<number>;

/** `--help` or `-h` anywhere before a `--`: the usage, whatever else the line says. */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Wraps a command so it always answers with an exit status: usage errors print the message
 * and the command's usage (2), refused input its message (2), errors the user can act on
 * their message (1). Anything else is a bug: said in one line, the stack only at debug level.
 */
export function command(name: string, usage: string, body: CommandFn): CommandFn {
  return async (argv, io) => {
    if (wantsHelp(argv)) {
      await writeTo(io.stdout, usage);
      return 0;
    }
    try {
      return await body(argv, io);
    } catch (error) {
      if (error instanceof UsageError) {
        io.stderr.write(`comfyrelay ${name}: ${error.message}\n\n${usage}`);
        return 2;
      }
      if (error instanceof RefusedError) {
        io.stderr.write(`comfyrelay ${name}: ${error.message}\n`);
        return 2;
      }
      if (error instanceof CliError || error instanceof ComfyRelayError) {
        io.stderr.write(`comfyrelay ${name}: ${error.message}\n`);
        return 1;
      }
      const debug = io.env['COMFYRELAY_LOG_LEVEL']?.trim().toLowerCase() === 'debug';
      io.stderr.write(
        `comfyrelay ${name}: internal error (${messageOf(error)}); please report it${
          debug && error instanceof Error && error.stack
            ? `\n${error.stack}`
            : ' (COMFYRELAY_LOG_LEVEL=debug shows where it happened)'
        }\n`,
      );
      return 1;
    }
  };
}

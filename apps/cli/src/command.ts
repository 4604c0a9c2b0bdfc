import { ComfyRelayError } from '@comfyrelay/core';
import { CliError, RefusedError, UsageError } from './errors.js';
import type { CliIO } from './io.js';

export type CommandFn = (argv: string[], io: CliIO) => Promise<number>;

/**
 * Wraps a command so it always answers with an exit status: usage errors print the message
 * and the command's usage (2), refused input its message (2), errors the user can act on
 * their message (1).
 */
export function command(name: string, usage: string, body: CommandFn): CommandFn {
  return async (argv, io) => {
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
      io.stderr.write(
        `comfyrelay ${name} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      return 1;
    }
  };
}

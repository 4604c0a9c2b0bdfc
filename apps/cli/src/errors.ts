/**
 * The command line itself is malformed (an unknown option, a missing argument): exit status 2,
 * with the message and the command's usage.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The input was refused before anything ran (an unknown workflow, a parameter out of range, a
 * file that is not there, a bad environment value): exit status 2, with the message only. The
 * message says what to do; the usage would bury it.
 */
export class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

/** The command could not do its job for a reason the user can act on: exit status 1, message only. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

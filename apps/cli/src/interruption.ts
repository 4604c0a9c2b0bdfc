/** Why a command was asked to stop, as `bin.ts` aborts its signal. */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'EPIPE';

/**
 * The exit status of a command that was stopped, as a shell reports a process killed by that
 * signal: 130 for Ctrl-C (SIGINT), 143 for SIGTERM, 141 for a closed stdout (SIGPIPE).
 */
export function interruptedStatus(signal: AbortSignal | undefined): number {
  switch (signal?.reason as unknown) {
    case 'EPIPE':
      return 141;
    case 'SIGTERM':
      return 143;
    default:
      return 130;
  }
}

/** What happened, for the line that says the work in flight is being cancelled. */
export function describeInterruption(signal: AbortSignal | undefined): string {
  return signal?.reason === 'EPIPE' ? 'the output was closed' : 'interrupted';
}

import { ComfyRelayError } from '@comfyrelay/core';

/** Text arguments that could not be read; the message names the option and lists the valid ones. */
export class ArgumentError extends ComfyRelayError {
  constructor(
    message: string,
    /** The flag or name at fault, as typed. */
    readonly option?: string,
    /** The closest valid flag, when one is close. */
    readonly suggestion?: string,
  ) {
    super(message);
  }
}

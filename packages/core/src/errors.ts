/** Base of every error comfyrelay raises: `message` is for the user, `cause` for the log. */
export class ComfyRelayError extends Error {
  /** The generation this error ended, when there is one (e.g. a refused submission). */
  generationId?: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** ComfyUI answered with an unexpected HTTP status. */
export class ComfyHttpError extends ComfyRelayError {
  constructor(
    readonly route: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`ComfyUI answered ${status} to ${route}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}

/** A call to ComfyUI did not answer in time, or could not connect at all. */
export class ComfyUnreachableError extends ComfyRelayError {
  /** ComfyUI had begun to answer (its status line came) when the answer was cut or stalled. */
  readonly answered: boolean;
  /** No connection was ever made (refused, no such host): the request never left. */
  readonly neverSent: boolean;

  constructor(
    readonly route: string,
    readonly reason: 'timeout' | 'network',
    options?: { cause?: unknown; answered?: boolean; neverSent?: boolean },
  ) {
    super(
      options?.answered
        ? `ComfyUI's answer to ${route} was cut off`
        : reason === 'timeout'
          ? `ComfyUI did not answer ${route} in time`
          : `ComfyUI could not be reached for ${route}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.answered = options?.answered ?? false;
    this.neverSent = options?.neverSent ?? false;
  }
}

/**
 * ComfyUI queued a workflow under another prompt id than the one it was given (before 0.3.45):
 * none of its messages would ever be recognised.
 */
export class PromptIdIgnoredError extends ComfyRelayError {
  constructor(readonly queuedAs: string) {
    super(
      `ComfyUI queued the workflow under another prompt id (${JSON.stringify(queuedAs.slice(0, 80))}) than the one it was given; comfyrelay needs a ComfyUI that keeps it (0.3.45 or newer).`,
    );
  }
}

/** A generation was asked for something that does not exist. */
export class NotFoundError extends ComfyRelayError {}

/** comfyrelay is shutting down: it takes no new work (a frontend may answer "try again soon"). */
export class ShuttingDownError extends ComfyRelayError {}

/** No backend can take work right now. */
export class NoBackendAvailableError extends ComfyRelayError {
  constructor(detail: string) {
    super(`No ComfyUI server is available right now (${detail}). Try again in a moment.`);
  }
}

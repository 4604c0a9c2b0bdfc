/** The Discord bot could not start (its token refused, the gateway not ready): one line, no token. */
export class DiscordStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscordStartError';
  }
}

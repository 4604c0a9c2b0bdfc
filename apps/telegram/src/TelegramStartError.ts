/** A Telegram bot that cannot start: one line, the token never in it. */
export class TelegramStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TelegramStartError';
  }
}

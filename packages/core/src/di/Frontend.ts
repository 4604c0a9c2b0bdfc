/**
 * An app's face of the platform (the Discord bot, the Telegram bot, the event stream, the
 * console): started once the relay is, stopped before it. Each app registers its frontend in
 * its own child container under `FrontendToken`.
 */
export interface Frontend {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

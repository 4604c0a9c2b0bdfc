import type { ComfyRelay, Frontend, GenerationStore, Logger } from '@comfyrelay/core';
import type { DependencyContainer } from 'tsyringe';

/** What an app gets to build its frontend from. */
export interface AppContext {
  relay: ComfyRelay;
  /** The app's own child container (register its services here). */
  container: DependencyContainer;
  logger: Logger;
  /** Where generations are kept; the SQLite store also keeps per-user settings. */
  store: GenerationStore;
}

/** One app of the platform (the Discord bot, the Telegram bot, the console …). */
export interface App {
  readonly name: string;
  create(context: AppContext): Frontend | Promise<Frontend>;
}

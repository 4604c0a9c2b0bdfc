import type { ComfyRelay, Frontend, GenerationStore, Logger } from '@comfyrelay/core';
import type { DependencyContainer } from 'tsyringe';
import type { PlatformMetrics } from './metrics/PlatformMetrics.js';

/** What an app gets to build its frontend from. */
export interface AppContext {
  relay: ComfyRelay;
  /** The app's own child container (register its services here). */
  container: DependencyContainer;
  logger: Logger;
  /** Where generations are kept. */
  store: GenerationStore;
  /**
   * Per-user settings (and whatever else an app keeps per key, under a namespace of its own):
   * the SQLite store in the data directory, in memory when there is none.
   */
  settings: SettingsStore;
  /**
   * The platform's measurements: an app that serves metrics observes the store's latency and
   * reads the 429s; a chat app reports its 429s here (`onRateLimited: metrics.rateLimited`).
   */
  metrics: PlatformMetrics;
}

/**
 * Small JSON records by namespace and key, merged on save (a value `undefined` removes its
 * entry): the shape `@comfyrelay/chat`'s `SettingsStore` takes.
 */
export interface SettingsStore {
  getSettings(
    namespace: string,
    key: string,
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
  saveSettings(
    namespace: string,
    key: string,
    values: Record<string, unknown>,
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** One app of the platform (the Discord bot, the Telegram bot, the console …). */
export interface App {
  readonly name: string;
  create(context: AppContext): Frontend | Promise<Frontend>;
}

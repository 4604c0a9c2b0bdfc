import type { SettingsStore } from '@comfyrelay/chat';
import type { GenerationStore } from '@comfyrelay/core';
import type { App } from '@comfyrelay/platform';
import type { DiscordConfig } from './config/DiscordConfig.js';
import { DiscordFrontend, type DiscordTuning } from './DiscordFrontend.js';

/** The Discord bot as an app of `startPlatform`, on the platform's relay and store. */
export function discordApp(config: DiscordConfig, tuning: DiscordTuning = {}): App {
  return {
    name: 'discord',
    create: ({ relay, logger, store }) => {
      const settings = settingsOf(store);
      return new DiscordFrontend(relay, config, {
        ...tuning,
        logger,
        ...(settings ? { settings } : {}),
      });
    },
  };
}

/** The SQLite store keeps per-user settings too; the in-memory one does not. */
function settingsOf(store: GenerationStore): SettingsStore | undefined {
  const candidate = store as Partial<SettingsStore>;
  return typeof candidate.getSettings === 'function' && typeof candidate.saveSettings === 'function'
    ? (candidate as SettingsStore)
    : undefined;
}

import type { App } from '@comfyrelay/platform';
import type { DiscordConfig } from './config/DiscordConfig.js';
import { DiscordFrontend, type DiscordTuning } from './DiscordFrontend.js';

/** The Discord bot as an app of `startPlatform`, on the platform's relay and store. */
export function discordApp(config: DiscordConfig, tuning: DiscordTuning = {}): App {
  return {
    name: 'discord',
    create: ({ relay, logger, settings, metrics }) =>
      new DiscordFrontend(relay, config, {
        ...tuning,
        logger,
        settings,
        onRateLimited: metrics.rateLimited,
      }),
  };
}

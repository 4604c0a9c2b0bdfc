import type { App } from '@comfyrelay/platform';
import type { TelegramConfig } from './config/TelegramConfig.js';
import { TelegramFrontend } from './TelegramFrontend.js';

/** The Telegram bot as an app of the platform (`startPlatform({ apps: [telegramApp(config)] })`). */
export function telegramApp(config: TelegramConfig): App {
  return {
    name: 'telegram',
    create: ({ relay, logger, settings, metrics }) =>
      new TelegramFrontend({
        relay,
        config,
        logger,
        settings,
        onRateLimited: metrics.rateLimited,
      }),
  };
}

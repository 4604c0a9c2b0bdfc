/*
 * @comfyrelay/telegram: the Telegram bot. Most callers need the first part only: the config
 * from the environment and the app for `startPlatform`. The frontend and the adapter follow for
 * those who compose their own.
 */

// ── Running the bot ─────────────────────────────────────────────────────────────────────────
export { telegramApp } from './telegramApp.js';
export {
  telegramConfigFromEnv,
  TELEGRAM_PHOTO_LIMIT,
  TELEGRAM_UPLOAD_LIMIT,
} from './config/telegramConfigFromEnv.js';
export type { TelegramConfig, WebhookConfig } from './config/TelegramConfig.js';
export { ConfigError } from './config/ConfigError.js';
export { runTelegramBot, type StandaloneIo } from './standalone/runTelegramBot.js';
export {
  standaloneConfigFromEnv,
  type StandaloneConfig,
} from './standalone/standaloneConfigFromEnv.js';

// ── Its parts ───────────────────────────────────────────────────────────────────────────────
export {
  TelegramFrontend,
  TelegramStartError,
  type TelegramFrontendOptions,
} from './TelegramFrontend.js';
export { TelegramAdapter, type TelegramAdapterOptions } from './adapter/TelegramAdapter.js';
export { TELEGRAM_BUDGETS, TELEGRAM_RULES } from './adapter/telegramLimits.js';

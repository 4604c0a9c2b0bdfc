/*
 * @comfyrelay/telegram: the Telegram bot. Most callers need the first part only: the config
 * section (the `telegram` key of the config file and the TELEGRAM_* variables) and the app for
 * `startPlatform`. The frontend and the adapter follow for those who compose their own.
 */

// ── Running the bot ─────────────────────────────────────────────────────────────────────────
export { telegramApp } from './telegramApp.js';
export {
  telegramSection,
  TELEGRAM_NOT_CONFIGURED,
  TELEGRAM_PHOTO_LIMIT,
  TELEGRAM_UPLOAD_LIMIT,
} from './config/telegramSection.js';
export type { TelegramConfig, WebhookConfig } from './config/TelegramConfig.js';
export { runTelegramBot, type StandaloneIo } from './standalone/runTelegramBot.js';

// ── Its parts ───────────────────────────────────────────────────────────────────────────────
export { TelegramFrontend, type TelegramFrontendOptions } from './TelegramFrontend.js';
export { TelegramStartError } from './TelegramStartError.js';
export { TelegramAdapter, type TelegramAdapterOptions } from './adapter/TelegramAdapter.js';
export { TELEGRAM_BUDGETS, TELEGRAM_RULES } from './adapter/telegramLimits.js';

/*
 * @comfyrelay/discord: the Discord bot. Most users run it with `comfyrelay start` (DISCORD_TOKEN
 * set) or alone (`comfyrelay discord`, or this package's `comfyrelay-discord`); a process that
 * composes the platform itself adds `discordSection` to the sections it loads and
 * `discordApp(config.discord)` to `startPlatform`'s apps.
 */
export { discordApp } from './discordApp.js';
export { discordSection, DISCORD_NOT_CONFIGURED } from './config/discordSection.js';
export type { DiscordConfig } from './config/DiscordConfig.js';
export { BotToken } from './config/BotToken.js';
export {
  discordInviteUrl,
  DISCORD_BOT_PERMISSIONS,
  DISCORD_BOT_SCOPES,
} from './discordInviteUrl.js';
export { runDiscordBot, type BotIo } from './runDiscordBot.js';

// ── The frontend and the adapter, for a process that composes its own ──────────────────────
export {
  DiscordFrontend,
  type DiscordFrontendOptions,
  type DiscordTuning,
} from './DiscordFrontend.js';
export { DiscordStartError } from './DiscordStartError.js';
export { DiscordAdapter, type DiscordAdapterOptions } from './adapter/DiscordAdapter.js';
export { type DiscordTarget } from './adapter/discordRefs.js';
export { DISCORD_BUDGETS, DISCORD_RULES } from './adapter/discordRules.js';
export { commandDefinitions, type CommandDefinition } from './commands/commandDefinitions.js';

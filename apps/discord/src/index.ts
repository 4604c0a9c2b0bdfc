/*
 * @comfyrelay/discord: the Discord bot. Most users run the binary (`comfyrelay-discord`, or
 * `comfyrelay start` with DISCORD_TOKEN set); a process that composes the platform itself adds
 * `discordApp(discordConfigFromEnv(process.env))` to `startPlatform`'s apps.
 */
export { discordApp } from './discordApp.js';
export {
  discordConfigFromEnv,
  type DiscordConfig,
  type Environment,
} from './config/DiscordConfig.js';
export { ConfigError } from './config/ConfigError.js';
export { BotToken } from './config/BotToken.js';
export {
  DiscordFrontend,
  type DiscordFrontendOptions,
  type DiscordTuning,
} from './DiscordFrontend.js';
export { runDiscordBot, type BotIo } from './runDiscordBot.js';

// ── The adapter, for a process that drives chat's service itself ────────────────────────────
export { DiscordAdapter, type DiscordAdapterOptions } from './adapter/DiscordAdapter.js';
export { type DiscordTarget } from './adapter/discordRefs.js';
export { DISCORD_BUDGETS, DISCORD_RULES } from './adapter/discordRules.js';
export { commandDefinitions, type CommandDefinition } from './commands/commandDefinitions.js';

import { DISCORD_NOT_CONFIGURED } from '@comfyrelay/discord';
import { TELEGRAM_NOT_CONFIGURED } from '@comfyrelay/telegram';
import { platformCommand } from '../platform/platformCommand.js';
import { DISCORD_USAGE, TELEGRAM_USAGE } from '../usage.js';

/** The platform with the Discord bot alone (no console): `comfyrelay discord`. */
export const discordCommand = platformCommand('discord', DISCORD_USAGE, {
  selection: { console: false, chat: ['discord'] },
  alone: { name: 'discord', notConfigured: DISCORD_NOT_CONFIGURED },
});

/** The platform with the Telegram bot alone (no console): `comfyrelay telegram`. */
export const telegramCommand = platformCommand('telegram', TELEGRAM_USAGE, {
  selection: { console: false, chat: ['telegram'] },
  alone: { name: 'telegram', notConfigured: TELEGRAM_NOT_CONFIGURED },
});

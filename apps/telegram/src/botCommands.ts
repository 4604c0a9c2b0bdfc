import type { CommandCatalog } from '@comfyrelay/chat';
import type { BotCommand } from 'grammy/types';

/** Telegram lists at most 100 commands. */
const MAX_COMMANDS = 100;

/** The catalog as Telegram's command menu (`setMyCommands`): every workflow and built-in. */
export function botCommands(catalog: CommandCatalog): BotCommand[] {
  return catalog.commands.slice(0, MAX_COMMANDS).map((command) => ({
    command: command.name,
    description: command.description || command.name,
  }));
}

import type { CommandsChange } from '../records.js';
import type { BotCommand, BotCommandScope } from '../types.js';
import { commandSlotKey } from '../validation/bot-commands.js';

/** The bot's command lists, one per (scope, language_code). */
export class CommandStore {
  private readonly slots = new Map<string, CommandsChange>();

  set(scope: BotCommandScope, languageCode: string, commands: BotCommand[]): CommandsChange {
    const change = { scope, language_code: languageCode, commands };
    if (commands.length === 0) this.slots.delete(commandSlotKey(scope, languageCode));
    else this.slots.set(commandSlotKey(scope, languageCode), change);
    return change;
  }

  get(scope: BotCommandScope, languageCode: string): BotCommand[] {
    return this.slots.get(commandSlotKey(scope, languageCode))?.commands ?? [];
  }
}

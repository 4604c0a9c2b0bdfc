import { badRequest } from '../api/api-error.js';
import type { Params } from '../api/params.js';
import type { BotCommand, BotCommandScope } from '../types.js';

const MAX_COMMANDS = 100;
const MAX_COMMAND_LENGTH = 32;
const MAX_DESCRIPTION_LENGTH = 256;
const SCOPES_WITHOUT_CHAT = [
  'default',
  'all_private_chats',
  'all_group_chats',
  'all_chat_administrators',
];
const SCOPES_WITH_CHAT = ['chat', 'chat_administrators', 'chat_member'];

/** Reads `commands` like setMyCommands: trimmed, a leading '/' dropped, validated. */
export function readBotCommands(params: Params): BotCommand[] {
  const value = params.json('commands', 'commands');
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest('expected an Array of BotCommand');
  if (value.length > MAX_COMMANDS) throw badRequest('BOT_COMMANDS_TOO_MUCH');
  return value.map(readBotCommand);
}

function readBotCommand(value: unknown): BotCommand {
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (typeof fields['command'] !== 'string' || typeof fields['description'] !== 'string') {
    throw badRequest(`can't parse BotCommand: Field "command" and "description" must be Strings`);
  }
  let command = fields['command'].trim();
  if (command.startsWith('/')) command = command.slice(1);
  const description = fields['description'].trim();
  if (command === '') throw badRequest('command must be non-empty');
  if ([...command].length > MAX_COMMAND_LENGTH) {
    throw badRequest(`command length must not exceed ${MAX_COMMAND_LENGTH}`);
  }
  if (!/^[a-z0-9_]+$/.test(command)) throw badRequest('BOT_COMMAND_INVALID');
  if (description === '') throw badRequest('command description must be non-empty');
  if ([...description].length > MAX_DESCRIPTION_LENGTH) {
    throw badRequest(`command description length must not exceed ${MAX_DESCRIPTION_LENGTH}`);
  }
  return { command, description };
}

export function readCommandScope(params: Params): BotCommandScope {
  const value = params.json('scope', 'BotCommandScope');
  if (value === undefined) return { type: 'default' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest("can't parse BotCommandScope: BotCommandScope must be an Object");
  }
  const scope = value as Record<string, unknown>;
  const type = scope['type'];
  if (typeof type !== 'string') {
    throw badRequest(`can't parse BotCommandScope: Field "type" must be of type String`);
  }
  if (SCOPES_WITHOUT_CHAT.includes(type)) return { type } as BotCommandScope;
  if (!SCOPES_WITH_CHAT.includes(type)) {
    throw badRequest("can't parse BotCommandScope: Unsupported type specified");
  }
  const chatId = scope['chat_id'];
  if (typeof chatId !== 'number' && (typeof chatId !== 'string' || chatId === '')) {
    throw badRequest("can't parse BotCommandScope: Empty chat_id specified");
  }
  if (type !== 'chat_member') return { type, chat_id: chatId } as BotCommandScope;
  const userId = Number(scope['user_id']);
  if (!(userId > 0)) throw badRequest("can't parse BotCommandScope: Invalid user_id specified");
  return { type: 'chat_member', chat_id: chatId, user_id: userId };
}

export function readLanguageCode(params: Params): string {
  const code = params.string('language_code') ?? '';
  if (code !== '' && !/^[a-z]{2}$/.test(code)) throw badRequest('invalid language code specified');
  return code;
}

/** One key per (scope, language) slot, the granularity at which Telegram stores command lists. */
export function commandSlotKey(scope: BotCommandScope, languageCode: string): string {
  const chat = 'chat_id' in scope ? String(scope.chat_id) : '';
  const user = 'user_id' in scope ? String(scope.user_id) : '';
  return [scope.type, chat, user, languageCode].join('|');
}

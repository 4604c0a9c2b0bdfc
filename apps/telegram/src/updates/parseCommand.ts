import type { MessageEntity } from 'grammy/types';

export interface ParsedCommand {
  /** Lower case, without the slash and the bot's name. */
  name: string;
  /** What follows the command: text arguments. */
  args: string;
  /** Written as `/name@bot`: meant for this bot and no other. */
  addressed: boolean;
}

/**
 * The command a message (or a photo's caption) starts with, when it is meant for this bot:
 * `/imagine a fox` anywhere, `/imagine@this_bot a fox` in a group; `/imagine@other_bot` is not.
 */
export function parseCommand(
  text: string | undefined,
  entities: readonly MessageEntity[] | undefined,
  botUsername: string,
): ParsedCommand | undefined {
  const entity = entities?.find((candidate) => candidate.type === 'bot_command');
  if (text === undefined || entity?.offset !== 0) return undefined;
  const [name = '', addressee] = text.slice(1, entity.length).split('@');
  if (addressee !== undefined && addressee.toLowerCase() !== botUsername.toLowerCase())
    return undefined;
  return {
    name: name.toLowerCase(),
    args: text.slice(entity.length).trim(),
    addressed: addressee !== undefined,
  };
}

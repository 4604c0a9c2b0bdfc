import type { BotUser, Message } from '../types.js';

/**
 * Whether the bot gets a group message. In privacy mode (BotFather's default) only messages that
 * start with '/' (not addressed to another bot), mention the bot, or reply to it get through.
 */
export function botSeesMessage(message: Message, bot: BotUser): boolean {
  if (message.chat.type === 'private' || bot.can_read_all_group_messages) return true;
  if (message.reply_to_message?.from?.id === bot.id) return true;
  const text = message.text ?? message.caption ?? '';
  const username = bot.username.toLowerCase();
  const mentions: string[] = text.toLowerCase().match(/@[a-z0-9_]+/g) ?? [];
  if (mentions.includes(`@${username}`)) return true;
  const command = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?/.exec(text);
  return command !== null && (command[1] === undefined || command[1].toLowerCase() === username);
}

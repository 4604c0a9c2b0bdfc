import type { MessageEntity } from '../types.js';

/** The entities Telegram detects in what a user types: bot commands and @mentions. */
export function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const pattern =
    /(?<![\w/@])(\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?|@[A-Za-z0-9_]{4,32})(?![\w@])/g;
  for (const match of text.matchAll(pattern)) {
    const type = match[0].startsWith('/') ? 'bot_command' : 'mention';
    entities.push({ type, offset: match.index, length: match[0].length });
  }
  return entities;
}

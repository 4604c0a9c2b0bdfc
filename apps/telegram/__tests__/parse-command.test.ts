import type { MessageEntity } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/updates/parseCommand.js';

function command(text: string) {
  const length = /^\/\S+/.exec(text)?.[0].length ?? 0;
  const entities: MessageEntity[] = [{ type: 'bot_command', offset: 0, length }];
  return parseCommand(text, entities, 'render_bot');
}

describe('parseCommand', () => {
  it('takes the command at the start and the rest as its arguments', () => {
    expect(command('/imagine a red fox --ar 16:9')).toEqual({
      name: 'imagine',
      args: 'a red fox --ar 16:9',
      addressed: false,
    });
    expect(command('/Imagine@Render_Bot a fox')).toEqual({
      name: 'imagine',
      args: 'a fox',
      addressed: true,
    });
  });

  it('leaves commands for other bots, and messages that only mention one', () => {
    expect(command('/imagine@other_bot a fox')).toBeUndefined();
    expect(
      parseCommand('a fox /imagine', [{ type: 'bot_command', offset: 6, length: 8 }], 'render_bot'),
    ).toBeUndefined();
    expect(parseCommand('hello', undefined, 'render_bot')).toBeUndefined();
  });
});

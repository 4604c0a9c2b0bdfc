import { inspect } from 'node:util';

/**
 * The bot token, kept out of logs: printing, inspecting or serialising it shows a placeholder.
 * Only `reveal()` gives the value, for discord.js.
 */
export class BotToken {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[bot token]';
  }

  toJSON(): string {
    return '[bot token]';
  }

  [inspect.custom](): string {
    return '[bot token]';
  }
}

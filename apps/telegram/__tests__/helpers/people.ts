import type { ChatInput, UserInput } from '@comfyrelay/testkit-telegram';

export const ann: UserInput = { id: 7001, first_name: 'Ann', username: 'ann' };
export const annChat: ChatInput = { id: 7001, type: 'private' };

export const bob: UserInput = { id: 7002, first_name: 'Bob' };
export const bobChat: ChatInput = { id: 7002, type: 'private' };

export const group: ChatInput = { id: -1007000, type: 'supergroup', title: 'Renders' };

/** The username the fake Bot API gives the bot. */
export const BOT = 'render_bot';

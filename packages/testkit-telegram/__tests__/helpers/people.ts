import type { ChatInput, UserInput } from '../../src/index.js';

export const alice: UserInput = { id: 1001, first_name: 'Alice', username: 'alice' };
export const aliceChat: ChatInput = { id: 1001, type: 'private' };

export const bob: UserInput = { id: 1002, first_name: 'Bob', username: 'bob' };
export const groupChat: ChatInput = { id: -100500, type: 'supergroup', title: 'Renders' };

import {
  readBotCommands,
  readCommandScope,
  readLanguageCode,
} from '../../validation/bot-commands.js';
import type { MethodDefinition } from '../method-context.js';

export const setMyCommands: MethodDefinition = {
  name: 'setMyCommands',
  handler: ({ params, state }) => {
    const commands = readBotCommands(params);
    const scope = readCommandScope(params);
    const change = state.commands.set(scope, readLanguageCode(params), commands);
    state.events.emit('commands', change);
    return true;
  },
};

export const getMyCommands: MethodDefinition = {
  name: 'getMyCommands',
  handler: ({ params, state }) =>
    state.commands.get(readCommandScope(params), readLanguageCode(params)),
};

export const deleteMyCommands: MethodDefinition = {
  name: 'deleteMyCommands',
  handler: ({ params, state }) => {
    const change = state.commands.set(readCommandScope(params), readLanguageCode(params), []);
    state.events.emit('commands', change);
    return true;
  },
};

import type { MethodDefinition } from '../method-context.js';

export const getMe: MethodDefinition = {
  name: 'getMe',
  handler: ({ state }) => state.bot,
};

/** The fake has no session to close; both succeed like on a fresh Telegram server. */
export const logOut: MethodDefinition = { name: 'logOut', handler: () => true };
export const close: MethodDefinition = { name: 'close', handler: () => true };

export const getChat: MethodDefinition = {
  name: 'getChat',
  handler: ({ params, state }) => {
    const { chat } = state.chats.resolve(params.string('chat_id'));
    return { ...chat, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
  },
};

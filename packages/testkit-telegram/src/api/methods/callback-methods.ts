import type { CallbackAnswer } from '../../records.js';
import type { MethodDefinition } from '../method-context.js';

export const answerCallbackQuery: MethodDefinition = {
  name: 'answerCallbackQuery',
  handler: ({ params, state }) => {
    const details: Omit<CallbackAnswer, 'callback_query_id' | 'time'> = {};
    const text = params.string('text');
    if (text !== undefined) details.text = text;
    if (params.has('show_alert')) details.show_alert = params.bool('show_alert');
    const url = params.string('url');
    if (url !== undefined) details.url = url;
    const cacheTime = params.int('cache_time');
    if (cacheTime !== undefined) details.cache_time = cacheTime;
    const answer = state.callbacks.answer(params.string('callback_query_id') ?? '', details);
    state.events.emit('callback-answer', answer);
    return true;
  },
};

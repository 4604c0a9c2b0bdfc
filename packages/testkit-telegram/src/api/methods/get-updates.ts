import type { DeliveredUpdate } from '../../records.js';
import { conflict } from '../api-error.js';
import type { MethodDefinition } from '../method-context.js';

const MAX_LIMIT = 100;
const MAX_TIMEOUT_S = 50;

export const getUpdates: MethodDefinition = {
  name: 'getUpdates',
  handler: async ({ params, state, signal }) => {
    if (state.webhook.active) {
      throw conflict(
        "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const allowed = params.json('allowed_updates', 'allowed updates');
    if (Array.isArray(allowed)) state.updates.setAllowedUpdates(allowed.map(String));
    const offset = params.int('offset') ?? 0;
    const limit = clamp(params.int('limit') ?? MAX_LIMIT, 1, MAX_LIMIT);
    const timeout = clamp(params.int('timeout') ?? 0, 0, MAX_TIMEOUT_S);
    const updates = await state.longPoll.poll(offset, limit, timeout, signal);
    for (const update of updates) {
      const delivered: DeliveredUpdate = { update, via: 'polling' };
      state.events.emit('update', delivered);
    }
    return updates;
  },
};

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

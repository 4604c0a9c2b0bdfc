import { badRequest, conflict } from '../api-error.js';
import { Described, type MethodDefinition } from '../method-context.js';

const DEFAULT_MAX_CONNECTIONS = 40;

/**
 * Unlike Telegram, any http(s) URL on any port is accepted, since test webhooks listen on
 * 127.0.0.1 without TLS. No certificate handling.
 */
export const setWebhook: MethodDefinition = {
  name: 'setWebhook',
  handler: ({ params, state }) => {
    const url = params.string('url') ?? '';
    if (params.bool('drop_pending_updates')) state.updates.clear();
    const allowed = params.json('allowed_updates', 'allowed updates');
    if (Array.isArray(allowed)) state.updates.setAllowedUpdates(allowed.map(String));
    if (url === '') {
      const wasSet = state.webhook.active;
      state.webhook.stop();
      return new Described(true, wasSet ? 'Webhook was deleted' : 'Webhook is already deleted');
    }
    if (!/^https?:\/\/[^/\s]+/i.test(url) || !URL.canParse(url)) {
      throw badRequest('invalid webhook URL specified');
    }
    const secretToken = params.string('secret_token') ?? '';
    if (secretToken.length > 256) throw badRequest('secret token is too long');
    if (!/^[A-Za-z0-9_-]*$/.test(secretToken)) {
      throw badRequest('secret token contains unallowed characters');
    }
    state.longPoll.terminate(conflict('terminated by setWebhook request'));
    state.webhook.set({
      url,
      maxConnections: params.int('max_connections') ?? DEFAULT_MAX_CONNECTIONS,
      ...(secretToken ? { secretToken } : {}),
    });
    return new Described(true, 'Webhook was set');
  },
};

export const deleteWebhook: MethodDefinition = {
  name: 'deleteWebhook',
  handler: ({ params, state }) => {
    if (params.bool('drop_pending_updates')) state.updates.clear();
    const wasSet = state.webhook.active;
    state.webhook.stop();
    return new Described(true, wasSet ? 'Webhook was deleted' : 'Webhook is already deleted');
  },
};

export const getWebhookInfo: MethodDefinition = {
  name: 'getWebhookInfo',
  handler: ({ state }) => state.webhook.info(),
};

import type { FakeState } from '../../fake-state.js';
import { ok, type RestRoute } from '../rest-route.js';

const SESSION_STARTS_PER_DAY = 1000;

export function gatewayRoutes(state: FakeState): RestRoute[] {
  const url = (): string => `${state.baseUrl().replace(/^http/, 'ws')}/gateway`;
  return [
    {
      method: 'GET',
      template: '/gateway',
      auth: 'none',
      bucket: undefined,
      handle: () => ok({ url: url() }),
    },
    {
      method: 'GET',
      template: '/gateway/bot',
      auth: 'bot',
      bucket: 'gateway-bot',
      handle: () =>
        ok({
          url: url(),
          shards: 1,
          session_start_limit: {
            total: SESSION_STARTS_PER_DAY,
            remaining: Math.max(0, SESSION_STARTS_PER_DAY - state.gateway.identifies),
            reset_after: 14_400_000,
            max_concurrency: 1,
          },
        }),
    },
  ];
}

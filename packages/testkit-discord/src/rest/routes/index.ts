import type { FakeState } from '../../fake-state.js';
import { Router } from '../../http/router.js';
import type { RestRoute } from '../rest-route.js';
import { cdnRoutes } from './cdn-routes.js';
import { channelRoutes } from './channel-routes.js';
import { commandRoutes } from './command-routes.js';
import { gatewayRoutes } from './gateway-routes.js';
import { guildRoutes } from './guild-routes.js';
import { interactionCallbackRoutes } from './interaction-callback-route.js';
import { userRoutes } from './user-routes.js';
import { webhookRoutes } from './webhook-routes.js';

export function buildRouters(state: FakeState): { api: Router<RestRoute>; cdn: Router<RestRoute> } {
  const api = new Router<RestRoute>();
  for (const route of [
    ...gatewayRoutes(state),
    ...userRoutes(state),
    ...commandRoutes(state),
    ...guildRoutes(state),
    ...channelRoutes(state),
    ...interactionCallbackRoutes(state),
    ...webhookRoutes(state),
  ]) {
    api.add(route);
  }
  const cdn = new Router<RestRoute>();
  for (const route of cdnRoutes(state)) cdn.add(route);
  return { api, cdn };
}

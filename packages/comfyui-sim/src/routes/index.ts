import { sendText } from '../http/respond.js';
import { Router } from '../http/router.js';
import { registerHistoryRoutes } from './history-routes.js';
import { registerInfoRoutes } from './info-routes.js';
import { registerPromptRoutes } from './prompt-routes.js';
import { registerQueueRoutes } from './queue-routes.js';
import type { RouteDeps } from './route-deps.js';
import { registerUploadRoute } from './upload-route.js';
import { registerViewRoute } from './view-route.js';

const INDEX_HTML =
  '<!doctype html><title>ComfyUI simulator</title><p>ComfyUI simulator (comfyui-sim). Use the HTTP/WebSocket API.</p>';

export function buildRouter(deps: RouteDeps): Router {
  const router = new Router();
  router.add('GET', '/', ({ res }) => sendText(res, 200, INDEX_HTML, 'text/html; charset=utf-8'));
  // Upgrades are handled before routing; a plain GET /ws is what aiohttp refuses with 400.
  router.add('GET', '/ws', ({ res }) => sendText(res, 400, '400: Bad Request'));
  registerPromptRoutes(router, deps);
  registerQueueRoutes(router, deps);
  registerHistoryRoutes(router, deps);
  registerInfoRoutes(router, deps);
  registerViewRoute(router, deps);
  registerUploadRoute(router, deps);
  return router;
}

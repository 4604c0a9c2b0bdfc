import { Hono } from 'hono';
import type { AccessPolicy } from '../access/AccessPolicy.js';
import { accessGuard } from '../access/accessGuard.js';
import { loginRoutes } from '../access/loginRoutes.js';
import type { ConsoleContext } from '../api/ConsoleContext.js';
import { backendRoutes } from '../api/backendRoutes.js';
import { generationRoutes } from '../api/generationRoutes.js';
import { workflowRoutes } from '../api/workflowRoutes.js';
import { healthRoutes } from '../health/healthRoutes.js';
import { metricsRoutes } from '../metrics/metricsRoutes.js';
import type { ConsoleEnv } from './ConsoleEnv.js';
import type { PageFile } from './PageFiles.js';
import { pageRoutes, SECURITY_HEADERS } from './pageRoutes.js';

/** Probes answer anyone; the login form and its stylesheet must be reachable to log in. */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/login', '/assets/console.css']);

export interface ConsoleHttpOptions {
  policy: AccessPolicy;
  accessToken: string | undefined;
  files: ReadonlyMap<string, PageFile>;
  eventStreamPath: string;
}

/** Every HTTP route of the console, behind the access policy. */
export function createConsoleHttpApp(
  context: ConsoleContext,
  options: ConsoleHttpOptions,
): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  });
  app.use('*', accessGuard(options.policy, OPEN_PATHS));
  app.route('/', healthRoutes(context));
  if (options.accessToken !== undefined)
    app.route('/', loginRoutes(options.policy, options.accessToken));
  // Whether this browser may still enter (the page asks when its event stream is refused).
  app.get('/api/session', (c) => c.json({ tokenRequired: options.policy.tokenRequired }));
  app.route('/', metricsRoutes(context.metrics));
  app.route('/', workflowRoutes(context));
  app.route('/', generationRoutes(context));
  app.route('/', backendRoutes(context));
  app.get(options.eventStreamPath, (c) =>
    c.text('This endpoint only speaks WebSocket.\n', 426, {
      Upgrade: 'websocket',
      Connection: 'Upgrade',
    }),
  );
  app.route('/', pageRoutes(options.files));
  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: 'not-found', message: `There is no ${c.req.path}.` }, 404)
      : c.text('Not found.\n', 404),
  );
  app.onError((error, c) => {
    context.logger.error('console request failed', { path: c.req.path, error: String(error) });
    return c.json({ error: 'internal', message: 'Something went wrong inside the console.' }, 500);
  });
  return app;
}

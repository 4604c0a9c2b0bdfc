import { Hono } from 'hono';
import type { ConsoleEnv } from '../http/ConsoleEnv.js';
import type { ConsoleContext } from './ConsoleContext.js';

/** Every backend: state, queue, what it holds, its version and models, reconnects, recent errors. */
export function backendRoutes({
  relay,
  backends,
  backendDetails,
}: ConsoleContext): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/api/backends', async (c) =>
    c.json({
      backends: await Promise.all(
        relay.backends().map(async (backend) => {
          const facts = await backendDetails.factsOf(backend);
          return { ...backend, ...backends.historyOf(backend.id), ...facts };
        }),
      ),
    }),
  );
  return routes;
}

import { Hono } from 'hono';
import type { ConsoleEnv } from '../http/ConsoleEnv.js';
import type { ConsoleContext } from './ConsoleContext.js';
import { describeWorkflow } from './describeWorkflow.js';

/** The workflow definitions with their parameter schemas and live choices. */
export function workflowRoutes({ relay }: ConsoleContext): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/api/workflows', async (c) =>
    c.json({
      workflows: await Promise.all(relay.workflows().map((w) => describeWorkflow(relay, w))),
    }),
  );
  routes.get('/api/workflows/:id', async (c) => {
    const definition = relay.workflows().find((w) => w.id === c.req.param('id'));
    if (!definition)
      return c.json({ error: 'not-found', message: 'There is no such workflow.' }, 404);
    return c.json({ workflow: await describeWorkflow(relay, definition) });
  });
  return routes;
}

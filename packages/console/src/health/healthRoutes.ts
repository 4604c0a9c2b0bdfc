import { Hono } from 'hono';
import type { ConsoleContext } from '../api/ConsoleContext.js';
import type { ConsoleEnv } from '../http/ConsoleEnv.js';

/**
 * /healthz: the process answers. /readyz: it can do work — at least one ComfyUI server
 * connected, and the generation store answers a read.
 */
export function healthRoutes({ relay, metrics }: ConsoleContext): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/healthz', (c) => c.json({ status: 'up' }));
  routes.get('/readyz', async (c) => {
    const problems: string[] = [];
    const backends = relay.backends();
    if (!backends.some((backend) => backend.state === 'open'))
      problems.push(
        `no ComfyUI server is connected (${backends.map((b) => `${b.id}: ${b.state}`).join(', ')})`,
      );
    try {
      await metrics.timeStoreRead('readiness', () => relay.history({ limit: 1 }));
    } catch (error) {
      problems.push(
        `the generation store cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return problems.length === 0
      ? c.json({ status: 'ready' })
      : c.json({ status: 'not ready', problems }, 503);
  });
  return routes;
}

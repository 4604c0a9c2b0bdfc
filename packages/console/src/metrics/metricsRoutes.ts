import { Hono } from 'hono';
import type { ConsoleEnv } from '../http/ConsoleEnv.js';
import type { ConsoleMetrics } from './ConsoleMetrics.js';

export function metricsRoutes(metrics: ConsoleMetrics): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/metrics', async (c) =>
    c.body(await metrics.registry.metrics(), 200, {
      'Content-Type': metrics.registry.contentType,
    }),
  );
  return routes;
}

import { Hono } from 'hono';
import type { ConsoleEnv } from './ConsoleEnv.js';
import type { PageFile } from './PageFiles.js';

/** The page and its files. Nothing is fetched from elsewhere: the policy says so to the browser. */
export function pageRoutes(files: ReadonlyMap<string, PageFile>): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  routes.get('*', async (c, next) => {
    const file = files.get(c.req.path);
    if (!file) return next();
    return c.body(file.body, 200, {
      'Content-Type': file.contentType,
      'Cache-Control': 'no-cache',
    });
  });
  return routes;
}

/** Sent with every answer: the page runs only its own scripts and talks only to this server. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

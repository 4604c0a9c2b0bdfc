import { Hono } from 'hono';
import type { ConsoleEnv } from '../http/ConsoleEnv.js';
import type { AccessPolicy } from './AccessPolicy.js';
import { loginPage } from './loginPage.js';
import {
  clearedSessionCookieHeader,
  sessionCookieHeader,
  sessionValueFor,
} from './sessionCookie.js';

/** GET/POST /login and POST /logout, for a console with an access token. */
export function loginRoutes(policy: AccessPolicy, accessToken: string): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/login', (c) => c.html(loginPage({ next: safeNext(c.req.query('next')) })));
  routes.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form['next'] === 'string' ? form['next'] : undefined);
    const token = typeof form['token'] === 'string' ? form['token'] : '';
    if (!policy.tokenMatches(token))
      return c.html(loginPage({ next, problem: 'That access token is not the right one.' }), 401);
    c.header('Set-Cookie', sessionCookieHeader(sessionValueFor(accessToken)));
    return c.redirect(next, 303);
  });
  routes.post('/logout', (c) => {
    c.header('Set-Cookie', clearedSessionCookieHeader());
    return c.redirect('/login', 303);
  });
  return routes;
}

/** Only a path of this site: never an address elsewhere ("//evil.example" included). */
function safeNext(next: string | undefined): string {
  return next !== undefined && /^\/(?![/\\])/.test(next) ? next : '/';
}

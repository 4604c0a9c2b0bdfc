import type { Context, MiddlewareHandler } from 'hono';
import type { ConsoleEnv } from '../http/ConsoleEnv.js';
import type { AccessPolicy } from './AccessPolicy.js';
import { accessRequestOf } from './accessRequestOf.js';

/** Every route but `open` ones goes through the policy. */
export function accessGuard(
  policy: AccessPolicy,
  open: ReadonlySet<string>,
): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (open.has(c.req.path)) return next();
    const decision = policy.check(accessRequestOf(c.env.incoming));
    if (decision.allowed) return next();
    return refuse(c, decision.status, decision.reason);
  };
}

function refuse(c: Context<ConsoleEnv>, status: 401 | 403, reason: string): Response {
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="comfyrelay console"');
  const wantsPage = c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html');
  if (status === 401 && wantsPage)
    return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  if (c.req.path.startsWith('/api/'))
    return c.json(
      { error: status === 401 ? 'unauthorized' : 'forbidden', message: reason },
      status,
    );
  return c.text(`${reason}\n`, status);
}

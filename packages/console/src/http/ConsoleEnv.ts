import type { HttpBindings } from '@hono/node-server';

/** Hono's environment on Node: the raw request, for the TCP peer's address. */
export interface ConsoleEnv {
  Bindings: HttpBindings;
}

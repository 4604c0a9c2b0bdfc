import type { SimServices } from '../services.js';
import type { SimState } from '../sim-state.js';

/** What route handlers need: the long-lived services and the state of the current server life. */
export interface RouteDeps {
  services: SimServices;
  state: SimState;
}

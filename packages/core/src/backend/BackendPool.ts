import { NoBackendAvailableError } from '../errors.js';
import type { ComfyBackend } from './ComfyBackend.js';

/** Several ComfyUI servers: new work goes to the healthy one with the shortest queue. */
export class BackendPool {
  constructor(readonly backends: ComfyBackend[]) {}

  get(id: string): ComfyBackend | undefined {
    return this.backends.find((backend) => backend.id === id);
  }

  /** The healthy backend with the least load, waiting up to `waitMs` for one to come up. */
  async pick(waitMs: number): Promise<ComfyBackend> {
    const ready = this.pickHealthy();
    if (ready) return ready;
    try {
      await Promise.any(this.backends.map((backend) => backend.connection.waitOpen(waitMs)));
    } catch {
      const states = this.backends.map((backend) => `${backend.id}: ${backend.state}`).join(', ');
      throw new NoBackendAvailableError(states);
    }
    const picked = this.pickHealthy();
    if (!picked) throw new NoBackendAvailableError('no server stayed connected');
    return picked;
  }

  private pickHealthy(): ComfyBackend | undefined {
    let best: ComfyBackend | undefined;
    for (const backend of this.backends) {
      if (!backend.healthy) continue;
      if (!best || backend.load < best.load) best = backend;
    }
    return best;
  }
}

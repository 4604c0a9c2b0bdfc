import { afterEach } from 'vitest';
import { ComfySimulator, type SimulatorOptions } from '../../src/index.js';

/** Starts simulators for one test file and stops them after each test. */
export function useSimulators(): (options?: SimulatorOptions) => Promise<ComfySimulator> {
  const started: ComfySimulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.stop()));
  });
  return async (options = {}) => {
    const sim = await ComfySimulator.start({ stepDelayMs: 5, ...options });
    started.push(sim);
    return sim;
  };
}

import type { ComfySimulator } from '@comfyrelay/comfyui-sim';

/**
 * Stops the simulator's clock at a prompt's first sampler step, so a test can look at a
 * generation mid-run for as long as it needs; `resume()` lets it finish. Register it before the
 * prompt can start (the simulator held).
 */
export function pauseAtFirstStep(
  sim: ComfySimulator,
  promptId: string,
  stepDelayMs = 2,
): { paused: Promise<void>; resume(): void } {
  let reached: () => void = () => undefined;
  const paused = new Promise<void>((resolve) => (reached = resolve));
  const onStep = ({ promptId: stepping }: { promptId: string }) => {
    if (stepping !== promptId) return;
    sim.off('step', onStep);
    sim.setStepDelay(3_600_000);
    reached();
  };
  sim.on('step', onStep);
  return {
    paused,
    resume() {
      sim.off('step', onStep);
      sim.setStepDelay(stepDelayMs);
    },
  };
}

import type { Plugin } from '@comfyrelay/core';
import { startRelayFixture, type RelayFixture } from '@comfyrelay/testkit';

export type Fixture = RelayFixture;

/** A simulator on a free port and a started relay on it with `plugins` registered. */
export function startFixture(
  plugins: Plugin[],
  options: { stepDelayMs?: number } = {},
): Promise<Fixture> {
  return startRelayFixture({
    plugins,
    sim: { stepDelayMs: options.stepDelayMs ?? 2 },
    // Video steps are slow on the simulator's ffmpeg: a submission's first message may take a while.
    relay: { connection: { deafAfterMs: 2_000 } },
  });
}

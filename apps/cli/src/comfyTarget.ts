import { ComfyHttpClient, type Logger } from '@comfyrelay/core';
import { describeUnreachable } from './describeUnreachable.js';
import { CliError } from './errors.js';
import type { CliIO } from './io.js';
import { isAddressInUse, startSimulator, startSimulatorPreferring } from './simulator.js';

/** The ComfyUI server(s) a command works with, and how to let go of them. */
export interface ComfyTarget {
  urls: string[];
  /** Set when the CLI started a simulator because no server was given. */
  simulatorUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * The given servers, or, when none is given, a simulator started for this command (and
 * stopped with it). `port` 0 asks for any free port; another port falls back to a free one.
 */
export async function comfyTarget(
  urls: string[],
  io: CliIO,
  simulator: { port: number; purpose: string },
): Promise<ComfyTarget> {
  if (urls.length > 0) return { urls, simulatorUrl: undefined, stop: async () => {} };
  const request = { port: simulator.port, ...io.simulator };
  let sim;
  try {
    sim =
      simulator.port === 0
        ? await startSimulator(request)
        : await startSimulatorPreferring(request);
  } catch (error) {
    throw new CliError(
      `could not start the ComfyUI simulator: ${isAddressInUse(error) ? 'no free port' : String(error)}`,
    );
  }
  io.stderr.write(
    `comfyrelay: no --comfy or COMFYUI_URL given, so started a ComfyUI simulator at ${sim.url} ${simulator.purpose}\n`,
  );
  return { urls: [sim.url], simulatorUrl: sim.url, stop: () => sim.stop() };
}

/** Fails fast, with the reason in words, when none of the servers answers; warns about the ones that do not. */
export async function ensureReachable(
  urls: string[],
  logger: Logger,
  timeoutMs = 5_000,
): Promise<void> {
  const problems = await Promise.all(
    urls.map(async (url) => {
      try {
        await new ComfyHttpClient({ baseUrl: url, timeoutMs }).getSystemStats();
        return undefined;
      } catch (error) {
        return `${url}: ${describeUnreachable(error)}`;
      }
    }),
  );
  const failed = problems.filter((problem): problem is string => problem !== undefined);
  if (failed.length === urls.length) {
    throw new CliError(
      `cannot reach ComfyUI at ${failed.join('; ')}. Is it running? Pass --comfy URL or set COMFYUI_URL (leave both unset to use a simulator).`,
    );
  }
  for (const problem of failed) logger.warn(`cannot reach ComfyUI at ${problem}; using the others`);
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendAuth, Logger } from '@comfyrelay/core';
import { ComfyHttpClient } from '@comfyrelay/core/protocol';
import { describeUnreachable, isStarting } from './describeUnreachable.js';
import { CliError, messageOf } from './errors.js';
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
  simulator: {
    port: number;
    purpose: string;
    /** Says that the simulator was started (default: a line on stderr, with `purpose`). */
    announce?: (url: string) => void;
  },
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
      `could not start the ComfyUI simulator: ${isAddressInUse(error) ? 'no free port' : messageOf(error).replace(/^(?:\w+ )?E[A-Z]+: /, '')}`,
    );
  }
  if (simulator.announce) simulator.announce(sim.url);
  else
    io.stderr.write(
      `comfyrelay: no --comfy or COMFYUI_URL given, so started a ComfyUI simulator at ${sim.url} ${simulator.purpose}\n`,
    );
  return { urls: [sim.url], simulatorUrl: sim.url, stop: () => sim.stop() };
}

/** `--wait`: how long `run` and `generate` wait for a ComfyUI that is starting, in seconds. */
export const DEFAULT_WAIT_S = 30;
export const MAX_WAIT_S = 3600;

export interface ReachabilityOptions {
  /** How long to wait for a server that is starting (refused or reset connections); 0 = fail at once. */
  waitMs?: number;
  /** Says, once, that the command is waiting (stderr). */
  say?: (line: string) => void;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/**
 * Resolves once at least one server answers, warning about the ones that do not. A server that
 * refuses or resets connections may be starting: it is waited for up to `waitMs`, saying so.
 * Anything else (a host that does not exist, an HTTP error) fails at once, in words.
 */
export async function ensureReachable(
  urls: readonly (string | ComfyServer)[],
  logger: Logger,
  { waitMs = 0, say, timeoutMs = 5_000 }: ReachabilityOptions = {},
): Promise<void> {
  const deadline = Date.now() + waitMs;
  let pauseMs = 250;
  let told = false;
  for (;;) {
    const failures = await probe(urls, timeoutMs);
    if (failures.length < urls.length) {
      for (const failure of failures)
        logger.warn(`cannot reach ComfyUI at ${failure.text}; using the others`);
      return;
    }
    const waitable = failures.every((failure) => isStarting(failure.error));
    const left = deadline - Date.now();
    if (!waitable || left <= 0) {
      throw new CliError(
        `cannot reach ComfyUI at ${failures.map((f) => f.text).join('; ')}. Is it running? Pass --comfy URL or set COMFYUI_URL (leave both unset to use a simulator).`,
      );
    }
    if (!told) {
      told = true;
      say?.(
        `comfyrelay: ComfyUI at ${failures.map((f) => f.text).join('; ')}; waiting up to ${Math.ceil(waitMs / 1000)} s for it to come up`,
      );
    }
    // A ref'd timer: while waiting, it is the only thing keeping the process alive.
    await sleep(Math.min(pauseMs, left));
    pauseMs = Math.min(pauseMs * 2, 2_000);
  }
}

/** A server with the credentials it wants, as the configuration gives it. */
export interface ComfyServer {
  url: string;
  auth?: BackendAuth | undefined;
}

async function probe(
  servers: readonly (string | ComfyServer)[],
  timeoutMs: number,
): Promise<{ text: string; error: unknown }[]> {
  const results = await Promise.all(
    servers.map(async (server) => {
      const { url, auth } = typeof server === 'string' ? { url: server, auth: undefined } : server;
      try {
        await new ComfyHttpClient({
          baseUrl: url,
          timeoutMs,
          ...(auth ? { headers: { authorization: authorizationOf(auth) } } : {}),
        }).getSystemStats();
        return undefined;
      } catch (error) {
        return { text: `${url}: ${describeUnreachable(error)}`, error };
      }
    }),
  );
  return results.filter((result) => result !== undefined);
}

/** The header a server behind auth wants (as the relay sends it). */
function authorizationOf(auth: BackendAuth): string {
  return 'token' in auth
    ? `Bearer ${auth.token}`
    : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

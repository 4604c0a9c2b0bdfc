import { ComfyRelay, EventStreamServer, type Logger, type RelayEvent } from '@comfyrelay/core';
import { comfyTarget, ensureReachable } from './comfyTarget.js';
import { CliError, messageOf } from './errors.js';
import type { CliIO } from './io.js';
import { objectInfoFromRelay, registerPlugins, type PluginsReport } from './plugins/loadPlugins.js';
import { COMFYUI_DEFAULT_PORT, isAddressInUse } from './simulator.js';

export const DEFAULT_EVENTS_PORT = 8190;

export interface RelayServiceOptions {
  /** ComfyUI servers; empty → a simulator on 8188 (or any free port). */
  comfyUrls: string[];
  eventsPort: number;
  eventsHost?: string;
  /** The operator's folder of exported workflows, offered as `custom.<name>` besides the plugins'. */
  workflowsDir?: string | undefined;
}

/** The running service: stop() shuts the event stream, the relay and any simulator down, in that order. */
export interface RelayService {
  relay: ComfyRelay;
  comfyUrls: string[];
  simulatorUrl: string | undefined;
  eventsUrl: string;
  /** What each plugin offers, and the folder files that did not load. */
  plugins: PluginsReport;
  stop(): Promise<void>;
}

/**
 * What `comfyrelay start` runs: one relay on ComfyUI with every workflow the plugins offer
 * (so dashboards and frontends connected to it can run them) and the event stream dashboards
 * connect to. A broken workflow file never stops it: it is reported in `plugins`.
 */
export async function startRelayService(
  options: RelayServiceOptions,
  io: CliIO,
  logger: Logger,
): Promise<RelayService> {
  const target = await comfyTarget(options.comfyUrls, io, {
    port: COMFYUI_DEFAULT_PORT,
    purpose: '(it stops with comfyrelay; set COMFYUI_URL to use a real server)',
  });
  let relay: ComfyRelay | undefined;
  let events: EventStreamServer<RelayEvent> | undefined;
  const stop = async () => {
    await events?.close();
    await relay?.stop();
    await target.stop();
  };
  try {
    if (!target.simulatorUrl) {
      // A service outlives ComfyUI restarts: say so, but keep going (the relay reconnects).
      await ensureReachable(target.urls, logger).catch((error: unknown) =>
        logger.warn(`${messageOf(error)} comfyrelay keeps trying to connect.`),
      );
    }
    relay = new ComfyRelay({ backends: target.urls.map((url) => ({ url })) }, logger);
    const plugins = await registerPlugins(relay.plugins, {
      workflowsDir: options.workflowsDir,
      fetchObjectInfo: objectInfoFromRelay(relay),
      logger,
    });
    await relay.start();
    const started = relay;
    events = new EventStreamServer<RelayEvent>({
      broadcaster: started.events,
      snapshot: () => started.snapshot(),
      encode: started.encodeEvent,
    });
    const listening = await events
      .listen(options.eventsPort, options.eventsHost)
      .catch((error: unknown) => {
        throw new CliError(
          isAddressInUse(error)
            ? `the event stream port ${options.eventsPort} is in use; pass --events-port P (0 = any free port) or set COMFYRELAY_EVENTS_PORT`
            : `could not start the event stream: ${messageOf(error)}`,
        );
      });
    let stopping: Promise<void> | undefined;
    return {
      relay: started,
      comfyUrls: target.urls,
      simulatorUrl: target.simulatorUrl,
      eventsUrl: listening.url,
      plugins,
      stop: () => (stopping ??= stop()),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

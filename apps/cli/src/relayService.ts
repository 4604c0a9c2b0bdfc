import {
  ComfyRelay,
  createRelayContainer,
  FrontendToken,
  type Frontend,
  type Logger,
} from '@comfyrelay/core';
import { comfyTarget, ensureReachable } from './comfyTarget.js';
import { messageOf } from './errors.js';
import { EventStreamFrontend } from './frontends/EventStreamFrontend.js';
import type { CliIO } from './io.js';
import { objectInfoFromRelay, registerPlugins, type PluginsReport } from './plugins/loadPlugins.js';
import { COMFYUI_DEFAULT_PORT } from './simulator.js';

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
 * What `comfyrelay start` runs: one relay on ComfyUI with every workflow the plugins offer, and
 * every frontend — each app registers its own in a child of the relay's container, so all of
 * them share one relay and one socket per ComfyUI server. A broken workflow file never stops it:
 * it is reported in `plugins`.
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
  const started: Frontend[] = [];
  const stop = async () => {
    for (const frontend of started.splice(0).reverse()) await frontend.stop();
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
    const container = createRelayContainer(
      { backends: target.urls.map((url) => ({ url })) },
      { logger },
    );
    relay = container.resolve(ComfyRelay);
    const plugins = await registerPlugins(relay, {
      workflowsDir: options.workflowsDir,
      fetchObjectInfo: objectInfoFromRelay(relay),
      logger,
    });
    await relay.start();

    const events = new EventStreamFrontend(relay, options.eventsPort, options.eventsHost);
    const apps = [container.createChildContainer()];
    apps[0]?.register(FrontendToken, { useValue: events });
    for (const app of apps) {
      for (const frontend of app.resolveAll(FrontendToken)) {
        await frontend.start();
        started.push(frontend);
      }
    }
    let stopping: Promise<void> | undefined;
    return {
      relay,
      comfyUrls: target.urls,
      simulatorUrl: target.simulatorUrl,
      eventsUrl: events.url,
      plugins,
      stop: () => (stopping ??= stop()),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

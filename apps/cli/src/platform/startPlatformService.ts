import { access, constants, mkdir } from 'node:fs/promises';
import { EVENT_STREAM_PATH } from '@comfyrelay/console';
import type { ComfyRelay, Logger } from '@comfyrelay/core';
import { platformOptionsFrom, startPlatform, type Platform } from '@comfyrelay/platform';
import { comfyTarget, ensureReachable, type ComfyTarget } from '../comfyTarget.js';
import { CliError, messageOf } from '../errors.js';
import { describeFileProblem } from '../fileProblem.js';
import type { CliIO } from '../io.js';
import {
  objectInfoFromRelay,
  registerPlugins,
  type PluginsReport,
} from '../plugins/loadPlugins.js';
import { COMFYUI_DEFAULT_PORT, isAddressInUse } from '../simulator.js';
import { appsFor, EVERY_APP, type AppSelection, type ChatLine } from './appsFor.js';
import type { StartConfig } from './sections.js';

/** One ComfyUI server as the banner shows it. */
export interface ServiceServer {
  url: string;
  id?: string;
  auth?: 'basic' | 'bearer';
  /** The built-in simulator, started because no server is configured. */
  simulator: boolean;
}

/** The running platform, with what `start` says about it. */
export interface PlatformService {
  platform: Platform;
  relay: ComfyRelay;
  config: StartConfig;
  servers: ServiceServer[];
  /** `http://127.0.0.1:8190/`, when the console runs (`start`; not a bot alone). */
  consoleUrl?: string;
  /** `ws://127.0.0.1:8190/events`, with the console. */
  eventStreamUrl?: string;
  plugins: PluginsReport;
  /** The frontends running, by name: the console, then the chat frontends. */
  frontends: string[];
  /** Each chat frontend running: who it is and how people reach it. */
  chat: ChatLine[];
  /** What is configured but not run by this command (the other bot, under `comfyrelay discord`). */
  notes: string[];
  /** Generations on ComfyUI now, and those waiting in comfyrelay's own queue. */
  inFlight(): { running: number; queued: number };
  /**
   * The graceful stop: no new work, what runs on ComfyUI gets `shutdownSeconds` to finish, then
   * the frontends, the relay, the store and the simulator stop. Resolves with how many
   * generations were left unfinished (kept in the data directory for the next start).
   */
  stop(): Promise<number>;
}

/**
 * Starts what `comfyrelay start` runs from a validated configuration: the simulator when no
 * server is configured, then the platform (relay, SQLite store in the data directory, plugins,
 * the console and every configured chat frontend). `comfyrelay discord` and `telegram` select
 * their bot alone (no console).
 */
export async function startPlatformService(
  config: StartConfig,
  io: CliIO,
  logger: Logger,
  selection: AppSelection = EVERY_APP,
): Promise<PlatformService> {
  await ensureDataDir(config.dataDir);
  const { target, reachable } = await serversOf(config, io, logger);
  const options = platformOptionsFrom(config, io.cwd);
  const servers =
    target.simulatorUrl !== undefined ? [{ url: target.simulatorUrl }] : options.servers;
  let plugins: PluginsReport = { plugins: [] };
  const apps = appsFor(config, selection);
  let platform: Platform;
  try {
    platform = await startPlatform({
      ...options,
      servers,
      plugins: [],
      prepare: async (relay) => {
        plugins = await registerPlugins(relay, {
          workflowsDir: config.workflowsDir,
          fetchObjectInfo: objectInfoFromRelay(relay),
          logger,
        });
      },
      apps: apps.apps,
      logger,
    });
  } catch (error) {
    await target.stop();
    throw explainStartFailure(error, config);
  }
  const consoleUrl = apps.console()?.url;
  if (selection.console && consoleUrl === undefined) {
    await platform.stop();
    await target.stop();
    throw new Error('the console did not start');
  }
  const relay = platform.relay;
  // A server that answers is connected within moments: the banner then means "ready". One that
  // does not is not waited for (the relay keeps trying; /readyz says so).
  if (reachable) await relay.ready().catch(() => undefined);
  let stopping: Promise<number> | undefined;
  return {
    platform,
    relay,
    config,
    servers: servers.map((server) => ({
      url: server.url,
      ...(server.id !== undefined ? { id: server.id } : {}),
      ...(server.auth ? { auth: 'token' in server.auth ? 'bearer' : 'basic' } : {}),
      simulator: server.url === target.simulatorUrl,
    })),
    ...(consoleUrl !== undefined
      ? {
          consoleUrl,
          eventStreamUrl: `${consoleUrl.replace(/^http/, 'ws').replace(/\/$/, '')}${EVENT_STREAM_PATH}`,
        }
      : {}),
    plugins,
    frontends: [...(selection.console ? ['console'] : []), ...apps.chat],
    chat: apps.chatLines(),
    notes: apps.notes,
    inFlight: () => {
      const active = relay.active();
      const running = active.filter((record) => record.backend !== undefined).length;
      return { running, queued: active.length - running };
    },
    stop: () =>
      (stopping ??= (async () => {
        try {
          await platform.stop();
          return relay.active().length;
        } finally {
          await target.stop();
        }
      })()),
  };
}

/**
 * The configured servers (whether any answers now), or the built-in simulator when there are
 * none, said in the log.
 */
async function serversOf(
  config: StartConfig,
  io: CliIO,
  logger: Logger,
): Promise<{ target: ComfyTarget; reachable: boolean }> {
  if (config.servers.length > 0) {
    // A service outlives ComfyUI restarts: say so, but keep going (the relay reconnects).
    const reachable = await ensureReachable(config.servers, logger).then(
      () => true,
      (error: unknown) => {
        logger.warn(`${messageOf(error)} comfyrelay keeps trying to connect.`);
        return false;
      },
    );
    const urls = config.servers.map((server) => server.url);
    return { target: { urls, simulatorUrl: undefined, stop: async () => {} }, reachable };
  }
  const target = await comfyTarget([], io, {
    port: COMFYUI_DEFAULT_PORT,
    purpose: '',
    announce: (url) =>
      logger.info(
        `no ComfyUI server is configured, so comfyrelay started its built-in ComfyUI simulator at ${url}: its pictures are not real. Configure your servers ("servers" in comfyrelay.config.json, COMFYUI_URL or --comfy) to use ComfyUI.`,
      ),
  });
  return { target, reachable: true };
}

/** Created here, so a folder that cannot be is said in words before anything starts. */
async function ensureDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot use the data directory: ${describeFileProblem(error, dir, code === 'EACCES' || code === 'EPERM' ? 'write' : 'create')}; set another with --data-dir, COMFYRELAY_DATA_DIR or "dataDir" in the config file`,
    );
  }
}

/** Only the console listens while the platform starts: an address problem is its own. */
function explainStartFailure(error: unknown, config: StartConfig): unknown {
  const { port, host } = config.console;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (isAddressInUse(error))
    return new CliError(
      `the console's port ${port} is in use (is comfyrelay already running?); pass --port P (0 = any free port), or set COMFYRELAY_CONSOLE_PORT or "console.port" in the config file`,
    );
  if (code === 'EACCES')
    return new CliError(
      `the console's port ${port} needs administrator rights on this system; use a port above 1023, such as 8190`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new CliError(
      `the console cannot listen on ${host}: it is not an address of this machine; set "console.host" (or COMFYRELAY_CONSOLE_HOST) to 127.0.0.1, 0.0.0.0 or one of its own addresses`,
    );
  return error;
}

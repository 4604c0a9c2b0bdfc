import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ComfyRelay,
  createRelayContainer,
  FrontendToken,
  InMemoryGenerationStore,
  type BackendConfig,
  type Frontend,
  type GenerationStore,
  type Logger,
  type Plugin,
  type RelayConfig,
} from '@comfyrelay/core';
import { SqliteGenerationStore } from '@comfyrelay/store-sqlite';
import type { App, SettingsStore } from './App.js';
import { DataDirLock } from './DataDirLock.js';
import { PlatformMetrics } from './metrics/PlatformMetrics.js';
import { TimedGenerationStore } from './metrics/TimedGenerationStore.js';

export interface PlatformOptions {
  /** The ComfyUI servers (one relay, one socket each), with their credentials if any. */
  servers?: readonly BackendConfig[];
  /** The same, by URL only (when `servers` is not given). */
  comfyUrls?: readonly string[];
  /** Generations (and chat settings) are kept here in SQLite; unset: in memory, lost on exit. */
  dataDir?: string;
  plugins: readonly Plugin[];
  /**
   * Runs once the plugins are registered, before the relay starts: for a caller with plugins of
   * its own to register (and report on) its way.
   */
  prepare?: (relay: ComfyRelay) => Promise<void>;
  apps: readonly App[];
  logger: Logger;
  /** How long a stop lets generations on ComfyUI finish before leaving them for the next start (default 30 s). */
  drainMs?: number;
  /** Finished generations are kept this long in the data directory (default 30 days). */
  retentionDays?: number;
  /** Anything else of the relay's configuration. */
  relay?: Partial<Omit<RelayConfig, 'backends'>>;
}

/** The running platform: one relay, its store, and every app's frontend. */
export interface Platform {
  relay: ComfyRelay;
  /** The store, timed into `metrics` (its `inner` is the store itself). */
  store: GenerationStore;
  /** The platform's own measurements (store latency, chat platforms' 429s) for apps to report. */
  metrics: PlatformMetrics;
  frontends: readonly Frontend[];
  /**
   * A graceful shutdown: new work is refused, what runs on ComfyUI gets `drainMs` to finish while
   * the frontends deliver it, then the frontends stop, then the relay (what is left stays in the
   * store for the next start) and the store.
   */
  stop(): Promise<void>;
}

/**
 * Starts the whole platform in one process, composed through DI: core's services in the relay's
 * container, each app's frontend in a child container of its own, all on one relay with one
 * socket per ComfyUI server. What a restart left unfinished is taken up before the frontends
 * start (they rebind their messages from it).
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const lock = options.dataDir === undefined ? undefined : await lockDataDir(options.dataDir);
  const opened = await openStore(options).catch(async (error: unknown) => {
    await lock?.release();
    throw error;
  });
  const settings = settingsOf(opened);
  const metrics = new PlatformMetrics();
  const store = new TimedGenerationStore(opened, metrics);
  const clientId = options.relay?.clientId ?? (await persistentClientId(options.dataDir));
  const container = createRelayContainer(
    {
      ...options.relay,
      backends: backendsOf(options),
      ...(clientId !== undefined ? { clientId } : {}),
    },
    { logger: options.logger, store },
  );
  const relay = container.resolve(ComfyRelay);
  const frontends: Frontend[] = [];
  const stop = async () => {
    await relay.drain(options.drainMs ?? DEFAULT_DRAIN_MS);
    for (const frontend of frontends.splice(0).reverse()) {
      await frontend
        .stop()
        .catch((error: unknown) =>
          options.logger.warn(`${frontend.name} did not stop cleanly`, { error: String(error) }),
        );
    }
    await relay.stop();
    await store.close?.();
    await lock?.release();
  };
  try {
    for (const plugin of options.plugins) await relay.use(plugin);
    await options.prepare?.(relay);
    await relay.start();
    for (const app of options.apps) {
      const scope = container.createChildContainer();
      scope.register(FrontendToken, {
        useValue: await app.create({
          relay,
          container: scope,
          logger: options.logger,
          store,
          settings,
          metrics,
        }),
      });
      for (const frontend of scope.resolveAll(FrontendToken)) {
        await frontend.start();
        frontends.push(frontend);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return { relay, store, metrics, frontends, stop: () => (stopping ??= stop()) };
}

const DEFAULT_DRAIN_MS = 30_000;

async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  return DataDirLock.acquire(dataDir);
}

/**
 * One client id per data directory, kept across restarts: ComfyUI sends the messages of the
 * prompts a restarted platform takes up to the client id they were posted with. (The store
 * holds the directory's lock, so no two processes share it.)
 */
async function persistentClientId(dataDir: string | undefined): Promise<string | undefined> {
  if (dataDir === undefined) return undefined;
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'client-id');
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (/^[\w-]{8,100}$/.test(kept)) return kept;
  const fresh = `comfyrelay-${randomUUID()}`;
  await writeFile(file, `${fresh}\n`);
  return fresh;
}

function backendsOf(options: PlatformOptions): BackendConfig[] {
  if (options.servers) return [...options.servers];
  return (options.comfyUrls ?? []).map((url) => ({ url }));
}
const DAY_MS = 24 * 60 * 60 * 1000;

/** The SQLite store keeps settings in the data directory; without one they live in memory. */
function settingsOf(store: GenerationStore): SettingsStore {
  if (store instanceof SqliteGenerationStore) return store;
  const kept = new Map<string, Record<string, unknown>>();
  return {
    getSettings: (namespace, key) => ({ ...kept.get(`${namespace}\0${key}`) }),
    saveSettings(namespace, key, values) {
      const merged = { ...kept.get(`${namespace}\0${key}`), ...values };
      for (const [name, value] of Object.entries(merged))
        if (value === undefined) delete merged[name];
      kept.set(`${namespace}\0${key}`, merged);
      return { ...merged };
    },
  };
}

async function openStore(options: PlatformOptions): Promise<GenerationStore> {
  const { dataDir, logger, retentionDays } = options;
  if (dataDir === undefined) return new InMemoryGenerationStore();
  await mkdir(dataDir, { recursive: true });
  return SqliteGenerationStore.open({
    dataDir,
    logger,
    ...(retentionDays !== undefined ? { retentionMs: retentionDays * DAY_MS } : {}),
  });
}

import 'reflect-metadata';
import { mkdir } from 'node:fs/promises';
import {
  ComfyRelay,
  createRelayContainer,
  FrontendToken,
  InMemoryGenerationStore,
  type Frontend,
  type GenerationStore,
  type Logger,
  type Plugin,
  type RelayConfig,
} from '@comfyrelay/core';
import { SqliteGenerationStore } from '@comfyrelay/store-sqlite';
import type { App } from './App.js';

export interface PlatformOptions {
  /** The ComfyUI servers (one relay, one socket each). */
  comfyUrls: readonly string[];
  /** Generations (and chat settings) are kept here in SQLite; unset: in memory, lost on exit. */
  dataDir?: string;
  plugins: readonly Plugin[];
  apps: readonly App[];
  logger: Logger;
  /** Anything else of the relay's configuration. */
  relay?: Partial<Omit<RelayConfig, 'backends'>>;
}

/** The running platform: one relay, its store, and every app's frontend. */
export interface Platform {
  relay: ComfyRelay;
  store: GenerationStore;
  frontends: readonly Frontend[];
  /** Frontends stop first (no new work), then the relay (unfinished work stays for the next start). */
  stop(): Promise<void>;
}

/**
 * Starts the whole platform in one process, composed through DI: core's services in the relay's
 * container, each app's frontend in a child container of its own, all on one relay with one
 * socket per ComfyUI server. What a restart left unfinished is taken up before the frontends
 * start (they rebind their messages from it).
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const store = await openStore(options.dataDir, options.logger);
  const container = createRelayContainer(
    { ...options.relay, backends: options.comfyUrls.map((url) => ({ url })) },
    { logger: options.logger, store },
  );
  const relay = container.resolve(ComfyRelay);
  const frontends: Frontend[] = [];
  const stop = async () => {
    for (const frontend of frontends.splice(0).reverse()) {
      await frontend
        .stop()
        .catch((error: unknown) =>
          options.logger.warn(`${frontend.name} did not stop cleanly`, { error: String(error) }),
        );
    }
    await relay.stop();
    await store.close?.();
  };
  try {
    for (const plugin of options.plugins) await relay.use(plugin);
    await relay.start();
    for (const app of options.apps) {
      const scope = container.createChildContainer();
      scope.register(FrontendToken, {
        useValue: await app.create({ relay, container: scope, logger: options.logger, store }),
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
  return { relay, store, frontends, stop: () => (stopping ??= stop()) };
}

async function openStore(dataDir: string | undefined, logger: Logger): Promise<GenerationStore> {
  if (dataDir === undefined) return new InMemoryGenerationStore();
  await mkdir(dataDir, { recursive: true });
  return SqliteGenerationStore.open({ dataDir, logger });
}

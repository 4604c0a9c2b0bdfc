import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import {
  container as rootContainer,
  instanceCachingFactory,
  Lifecycle,
  type DependencyContainer,
} from 'tsyringe';
import { BackendPool } from '../backend/BackendPool.js';
import { ComfyBackend } from '../backend/ComfyBackend.js';
import { Broadcaster } from '../broadcast/Broadcaster.js';
import { ComfyRelay } from '../ComfyRelay.js';
import { relayCoalesceKey, relayTopicsOf, type RelayEvent } from '../events.js';
import { InMemoryGenerationStore, type GenerationStore } from '../generation/GenerationStore.js';
import { PluginHost } from '../plugins/PluginHost.js';
import type { Plugin } from '../plugins/Plugin.js';
import { authorizationOf, type RelayConfig } from '../RelayConfig.js';
import { createConsoleLogger, type Logger } from '../util/Logger.js';
import {
  BackendPoolToken,
  ClientIdToken,
  GenerationStoreToken,
  LoggerToken,
  PluginHostToken,
  PluginsToken,
  RelayConfigToken,
  RelayEventsToken,
} from './tokens.js';

export interface RelayContainerOptions {
  logger?: Logger;
  plugins?: Plugin[];
  store?: GenerationStore;
  parent?: DependencyContainer;
}

/**
 * A child container holding core's services, each under its token (see tokens.ts): config,
 * logger, client id, store, plugin host, event broadcaster, backend pool, and the relay built
 * from them. Apps make their own child of it for their frontend: one relay, one socket per server.
 */
export function createRelayContainer(
  config: RelayConfig,
  options: RelayContainerOptions = {},
): DependencyContainer {
  const container = (options.parent ?? rootContainer).createChildContainer();
  const logger = options.logger ?? createConsoleLogger(config.logLevel ?? 'info');
  container.registerInstance(RelayConfigToken, config);
  container.registerInstance(LoggerToken, logger);
  container.registerInstance(PluginsToken, options.plugins ?? []);
  container.registerInstance(ClientIdToken, config.clientId ?? `comfyrelay-${randomUUID()}`);
  container.registerInstance(
    GenerationStoreToken,
    options.store ?? config.store ?? new InMemoryGenerationStore(),
  );
  container.registerInstance(PluginHostToken, new PluginHost(logger));
  container.registerInstance(RelayEventsToken, createRelayEvents(config, logger));
  container.register(BackendPoolToken, {
    useFactory: instanceCachingFactory((c) =>
      createBackendPool(
        config,
        c.resolve(ClientIdToken),
        c.resolve(LoggerToken),
        c.resolve(RelayEventsToken),
      ),
    ),
  });
  container.register(ComfyRelay, { useClass: ComfyRelay }, { lifecycle: Lifecycle.Singleton });
  return container;
}

/** A relay on its own container: what a script or a test needs. */
export function createRelay(config: RelayConfig, options: RelayContainerOptions = {}): ComfyRelay {
  return createRelayContainer(config, options).resolve(ComfyRelay);
}

/** Resolve the relay, register the container's plugins with it and start it. */
export async function startRelay(container: DependencyContainer): Promise<ComfyRelay> {
  const relay = container.resolve(ComfyRelay);
  const host = container.resolve(PluginHostToken);
  for (const plugin of container.resolve(PluginsToken))
    if (!host.hasPlugin(plugin.name)) await relay.use(plugin);
  await relay.start();
  return relay;
}

function createRelayEvents(config: RelayConfig, logger: Logger): Broadcaster<RelayEvent> {
  return new Broadcaster<RelayEvent>({
    coalesceKey: relayCoalesceKey,
    topicsOf: relayTopicsOf,
    // Never dropped for a burst: what piles up is bounded by the work in flight (superseded
    // progress and positions are coalesced); a subscriber that stops accepting is dropped by
    // its send timeout instead.
    queueLimit: Infinity,
    ...(config.broadcast?.queueLimit ? { queueLimit: config.broadcast.queueLimit } : {}),
    ...(config.broadcast?.sendTimeoutMs ? { sendTimeoutMs: config.broadcast.sendTimeoutMs } : {}),
    onDrop: (subscription, reason) => {
      if (reason.code === 'unsubscribed' || reason.code === 'broadcaster-closed') return;
      logger.warn('dropped a subscriber', {
        subscriber: subscription.name,
        reason: reason.message,
      });
    },
  });
}

function createBackendPool(
  config: RelayConfig,
  clientId: string,
  logger: Logger,
  events: Broadcaster<RelayEvent>,
): BackendPool {
  const publish = (event: RelayEvent) => events.publish(event);
  return new BackendPool(
    config.backends.map(
      (backend) =>
        new ComfyBackend({
          id: backend.id ?? new URL(backend.url).host,
          url: backend.url,
          ...(backend.auth ? { headers: { authorization: authorizationOf(backend.auth) } } : {}),
          clientId,
          logger,
          publish,
          ...(config.httpTimeoutMs ? { httpTimeoutMs: config.httpTimeoutMs } : {}),
          ...(config.connection ? { connection: config.connection } : {}),
          ...(config.historyRetryDelayMs !== undefined
            ? { historyRetryDelayMs: config.historyRetryDelayMs }
            : {}),
          ...(config.cancelConfirmMs !== undefined
            ? { cancelConfirmMs: config.cancelConfirmMs }
            : {}),
          ...(config.silenceCheckMs !== undefined ? { silenceCheckMs: config.silenceCheckMs } : {}),
          ...(config.unreachableGraceMs !== undefined
            ? { unreachableGraceMs: config.unreachableGraceMs }
            : {}),
          ...(config.retryRunningOnUnreachable !== undefined
            ? { retryRunningOnUnreachable: config.retryRunningOnUnreachable }
            : {}),
          ...(config.circuit ? { circuit: config.circuit } : {}),
          ...(config.failoverAfterMs !== undefined
            ? { failoverAfterMs: config.failoverAfterMs }
            : {}),
        }),
    ),
  );
}

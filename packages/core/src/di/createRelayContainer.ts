import 'reflect-metadata';
import { container as rootContainer, Lifecycle, type DependencyContainer } from 'tsyringe';
import { ComfyRelay } from '../ComfyRelay.js';
import type { RelayConfig } from '../RelayConfig.js';
import { createConsoleLogger, type Logger } from '../util/Logger.js';
import type { Plugin } from '../plugins/Plugin.js';
import { LoggerToken, PluginsToken, RelayConfigToken } from './tokens.js';

export interface RelayContainerOptions {
  logger?: Logger;
  plugins?: Plugin[];
  parent?: DependencyContainer;
}

/**
 * A child container holding the relay and what it is built from. Apps make their own child of
 * it for their services and resolve `ComfyRelay` from there: one relay, one socket per server.
 */
export function createRelayContainer(
  config: RelayConfig,
  options: RelayContainerOptions = {},
): DependencyContainer {
  const container = (options.parent ?? rootContainer).createChildContainer();
  container.registerInstance(RelayConfigToken, config);
  container.registerInstance(
    LoggerToken,
    options.logger ?? createConsoleLogger(config.logLevel ?? 'info'),
  );
  container.registerInstance(PluginsToken, options.plugins ?? []);
  container.register(ComfyRelay, { useClass: ComfyRelay }, { lifecycle: Lifecycle.Singleton });
  return container;
}

/** Resolve the relay, register the container's plugins with it and start it. */
export async function startRelay(container: DependencyContainer): Promise<ComfyRelay> {
  const relay = container.resolve(ComfyRelay);
  for (const plugin of container.resolve(PluginsToken)) {
    if (!relay.plugins.hasPlugin(plugin.name)) await relay.plugins.use(plugin);
  }
  await relay.start();
  return relay;
}

import type { InjectionToken } from 'tsyringe';
import type { BackendPool } from '../backend/BackendPool.js';
import type { Broadcaster } from '../broadcast/Broadcaster.js';
import type { RelayEvent } from '../events.js';
import type { GenerationStore } from '../generation/GenerationStore.js';
import type { PluginHost } from '../plugins/PluginHost.js';
import type { Plugin } from '../plugins/Plugin.js';
import type { RelayConfig } from '../RelayConfig.js';
import type { Logger } from '../util/Logger.js';
import type { Frontend } from './Frontend.js';

/**
 * Every injection token of comfyrelay, in one place. Core registers its services under these
 * (see `createRelayContainer`); each app makes a child container and registers its frontend.
 */
export const RelayConfigToken: InjectionToken<RelayConfig> = Symbol.for('comfyrelay.RelayConfig');
export const LoggerToken: InjectionToken<Logger> = Symbol.for('comfyrelay.Logger');
/** The plugins `startRelay` registers before starting. */
export const PluginsToken: InjectionToken<Plugin[]> = Symbol.for('comfyrelay.Plugins');
/** The process-wide ComfyUI client id: one for every prompt and socket. */
export const ClientIdToken: InjectionToken<string> = Symbol.for('comfyrelay.ClientId');
export const GenerationStoreToken: InjectionToken<GenerationStore> = Symbol.for(
  'comfyrelay.GenerationStore',
);
export const PluginHostToken: InjectionToken<PluginHost> = Symbol.for('comfyrelay.PluginHost');
/** The broadcaster of relay events every frontend subscribes to. */
export const RelayEventsToken: InjectionToken<Broadcaster<RelayEvent>> =
  Symbol.for('comfyrelay.RelayEvents');
export const BackendPoolToken: InjectionToken<BackendPool> = Symbol.for('comfyrelay.BackendPool');
/** A frontend an app registers in its child container (resolved by `comfyrelay start`). */
export const FrontendToken: InjectionToken<Frontend> = Symbol.for('comfyrelay.Frontend');

import type { InjectionToken } from 'tsyringe';
import type { RelayConfig } from '../RelayConfig.js';
import type { Logger } from '../util/Logger.js';
import type { Plugin } from '../plugins/Plugin.js';

/** Injection tokens for the interfaces core provides; classes are their own tokens. */
export const RelayConfigToken: InjectionToken<RelayConfig> = Symbol.for('comfyrelay.RelayConfig');
export const LoggerToken: InjectionToken<Logger> = Symbol.for('comfyrelay.Logger');
export const PluginsToken: InjectionToken<Plugin[]> = Symbol.for('comfyrelay.Plugins');

import type { Frontend } from '@comfyrelay/core';
import type { App } from '@comfyrelay/platform';
import type { ConsoleOptions } from './ConsoleOptions.js';
import { startConsole, type RunningConsole } from './startConsole.js';

/** The console's frontend in a running platform. */
export interface ConsoleFrontend extends Frontend {
  /** Where it answers, once started. */
  readonly url: string | undefined;
}

/** The console as one of the platform's apps: `startPlatform({ apps: [consoleApp({ port: 8190 })] })`. */
export function consoleApp(options: ConsoleOptions): App {
  return {
    name: 'console',
    create({ relay, logger, metrics }): ConsoleFrontend {
      let running: RunningConsole | undefined;
      return {
        name: 'console',
        get url() {
          return running?.url;
        },
        async start() {
          running = await startConsole(relay, {
            ...options,
            logger: options.logger ?? logger,
            platformMetrics: options.platformMetrics ?? metrics,
          });
          logger.info(`console: open ${running.url}`, {
            access: options.accessToken === undefined ? 'loopback only' : 'access token',
          });
        },
        async stop() {
          await running?.stop();
          running = undefined;
        },
      };
    },
  };
}

import { createPlatformLogger, formatProblems } from '@comfyrelay/platform';
import { whenAborted } from '../abort.js';
import { command } from '../command.js';
import { RefusedError, UsageError } from '../errors.js';
import { writeTo } from '../io.js';
import { parseCommandArgs } from '../parseCommandArgs.js';
import { plannedFrontendSecrets } from '../platform/appsFor.js';
import { describeService, describeStopped, describeStopping } from '../platform/describeService.js';
import { loadStartConfig } from '../platform/loadStartConfig.js';
import { startPlatformService } from '../platform/startPlatformService.js';
import { START_USAGE } from '../usage.js';

/**
 * Runs the platform until `io.signal` aborts (SIGINT/SIGTERM from the binary), then stops it
 * gracefully: no new work, what runs on ComfyUI gets its shutdown time, the rest is kept.
 */
export const startCommand = command('start', START_USAGE, async (argv, io) => {
  refuseRemovedOptions(argv);
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      comfy: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      workflows: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const loaded = await loadStartConfig(
    {
      config: values.config,
      comfy: values.comfy,
      port: values.port,
      dataDir: values['data-dir'],
      workflows: values.workflows,
    },
    io,
  );
  if (!loaded.ok)
    throw new RefusedError(
      `${formatProblems(loaded.problems, loaded.source)}\nNothing was started ("comfyrelay config check" shows the same report).`,
    );
  const { config } = loaded;
  const logger = createPlatformLogger({
    level: config.logging.level,
    format: config.logging.format,
    secrets: [...loaded.secrets, ...plannedFrontendSecrets(io.env)],
    destination: io.stderr,
  });
  if (io.env['COMFYRELAY_EVENTS_PORT']?.trim())
    logger.warn(
      'COMFYRELAY_EVENTS_PORT is no longer read: the console serves the event stream on its own port (console.port, COMFYRELAY_CONSOLE_PORT or --port)',
    );
  const service = await startPlatformService(config, io, logger);
  await writeTo(io.stdout, describeService(service, loaded.source));
  await whenAborted(io.signal);
  await writeTo(io.stdout, describeStopping(service));
  const left = await service.stop();
  await writeTo(io.stdout, describeStopped(left, config.dataDir));
  return 0;
});

/** Options of earlier builds, answered with what replaced them. */
function refuseRemovedOptions(argv: readonly string[]): void {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  if (options.some((arg) => arg === '--events-port' || arg.startsWith('--events-port=')))
    throw new UsageError(
      "--events-port is gone: the console serves the event stream now (ws://HOST:PORT/events, on the console's port); set that port with --port",
    );
}

import { createPlatformLogger, formatProblems } from '@comfyrelay/platform';
import { whenAborted } from '../abort.js';
import { command, type CommandFn } from '../command.js';
import { RefusedError } from '../errors.js';
import { writeTo, type CliIO } from '../io.js';
import { parseCommandArgs } from '../parseCommandArgs.js';
import type { AppSelection, ChatFrontendName } from './appsFor.js';
import { describeService, describeStopped, describeStopping } from './describeService.js';
import { loadStartConfig } from './loadStartConfig.js';
import { startPlatformService } from './startPlatformService.js';

export interface PlatformCommandOptions {
  /** Which apps run: every one (`start`), or one bot alone. */
  selection: AppSelection;
  /** The bot run alone, and the one line said when its section is not configured. */
  alone?: { name: ChatFrontendName; notConfigured: string };
  /** Before anything: refuse what the command no longer takes, warn about what it no longer reads. */
  before?: (argv: readonly string[], io: CliIO) => void;
}

/**
 * `comfyrelay start`, `discord` and `telegram`: one way to run the platform until `io.signal`
 * aborts (SIGINT/SIGTERM from the binary), then stop it gracefully (no new work, what runs on
 * ComfyUI gets its shutdown time, the rest is kept). The same configuration (file, environment,
 * options), the same data directory and its lock, the simulator when no server is configured;
 * only the apps differ.
 */
export function platformCommand(
  name: string,
  usage: string,
  options: PlatformCommandOptions,
): CommandFn {
  return command(name, usage, async (argv, io) => {
    options.before?.(argv, io);
    const { values } = parseCommandArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        comfy: { type: 'string' },
        'data-dir': { type: 'string' },
        workflows: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        // The console's port: only where the console runs.
        ...(options.selection.console ? { port: { type: 'string' } } : {}),
      },
    });
    const port = 'port' in values && typeof values.port === 'string' ? values.port : undefined;
    const loaded = await loadStartConfig(
      {
        config: values.config,
        comfy: values.comfy,
        port,
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
    if (options.alone && config[options.alone.name] === undefined)
      throw new RefusedError(options.alone.notConfigured);
    const logger = createPlatformLogger({
      level: config.logging.level,
      format: config.logging.format,
      secrets: loaded.secrets,
      destination: io.stderr,
    });
    if (io.env['COMFYRELAY_EVENTS_PORT']?.trim() && options.selection.console)
      logger.warn(
        'COMFYRELAY_EVENTS_PORT is no longer read: the console serves the event stream on its own port (console.port, COMFYRELAY_CONSOLE_PORT or --port)',
      );
    const service = await startPlatformService(config, io, logger, options.selection);
    await writeTo(io.stdout, describeService(service, loaded.source));
    await whenAborted(io.signal);
    await writeTo(io.stdout, describeStopping(service));
    const left = await service.stop();
    await writeTo(io.stdout, describeStopped(left, config.dataDir));
    return 0;
  });
}

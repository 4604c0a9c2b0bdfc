import {
  createPlatformLogger,
  formatProblems,
  loadConfig,
  PLATFORM_SECTIONS,
  platformOptionsFrom,
  startPlatform,
  type Platform,
} from '@comfyrelay/platform';
import { createFolderWorkflowsPlugin } from '@comfyrelay/plugin-folder';
import { createImagePlugin } from '@comfyrelay/plugin-image';
import { createVideoPlugin } from '@comfyrelay/plugin-video';
import { resolve } from 'node:path';
import { DISCORD_NOT_CONFIGURED, discordSection } from './config/discordSection.js';
import { discordApp } from './discordApp.js';
import { DiscordFrontend } from './DiscordFrontend.js';

export interface BotIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Where the config file and relative paths are looked for (default: the process's). */
  cwd?: string;
  stdout: NodeJS.WritableStream;
  /** Logs, and why it could not start. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted by SIGINT / SIGTERM: the bot stops gracefully. */
  signal: AbortSignal;
}

const NAME = 'comfyrelay-discord';

/**
 * The bot alone on the platform, configured as `comfyrelay start` is (the file COMFYRELAY_CONFIG
 * names, else comfyrelay.config.json|yaml|yml here, the environment over it: servers, dataDir,
 * limits, logging, workflowsDir, shutdownSeconds and `discord`), until `signal` aborts. Resolves
 * with the exit status: 0 after a graceful stop, 2 for a configuration it cannot run with (said on
 * stderr), 1 when it could not start. `comfyrelay discord` does the same with the CLI's options
 * and, without a server, the built-in simulator.
 */
export async function runDiscordBot(io: BotIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const file = io.env['COMFYRELAY_CONFIG']?.trim();
  const loaded = await loadConfig({
    sections: [...PLATFORM_SECTIONS, discordSection],
    // What `comfyrelay start` reads besides: its console, the other bot.
    otherSections: ['console', 'telegram'],
    env: io.env,
    cwd,
    ...(file ? { file } : {}),
  });
  if (!loaded.ok) {
    io.stderr.write(`${NAME}: ${formatProblems(loaded.problems, loaded.source)}\n`);
    return 2;
  }
  const { config } = loaded;
  if (config.discord === undefined) {
    io.stderr.write(`${NAME}: ${DISCORD_NOT_CONFIGURED}\n`);
    return 2;
  }
  if (config.servers.length === 0) {
    io.stderr.write(`${NAME}: ${NO_SERVER}\n`);
    return 2;
  }
  const logger = createPlatformLogger({
    level: config.logging.level,
    format: config.logging.format,
    secrets: loaded.secrets,
    destination: io.stderr,
  });
  const workflowsDir = config.workflowsDir && resolve(cwd, config.workflowsDir);
  let platform: Platform;
  try {
    platform = await startPlatform({
      ...platformOptionsFrom(config, cwd),
      plugins: [createImagePlugin(), createVideoPlugin()],
      prepare: async (relay) => {
        // The operator's exported workflows, checked against the server's node classes.
        if (workflowsDir)
          await relay.use(
            createFolderWorkflowsPlugin({
              dir: workflowsDir,
              fetchObjectInfo: () => relay.objectInfo(),
              logger,
            }),
          );
      },
      apps: [discordApp(config.discord)],
      logger,
    });
  } catch (error) {
    io.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const bot = platform.frontends.find((frontend) => frontend instanceof DiscordFrontend);
  io.stdout.write(
    `${NAME} is running as ${bot?.tag ?? 'the bot'}; add it to a server: ${bot?.inviteUrl ?? ''}\n`,
  );
  if (!io.signal.aborted)
    await new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }));
  io.stdout.write('stopping…\n');
  await platform.stop();
  io.stdout.write('stopped\n');
  return 0;
}

const NO_SERVER =
  'no ComfyUI server is configured; set COMFYUI_URL (or "servers" in the config file), or try the bot on the built-in simulator with "comfyrelay discord"';

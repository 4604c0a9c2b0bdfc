import { resolve } from 'node:path';
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
import { TELEGRAM_NOT_CONFIGURED, telegramSection } from '../config/telegramSection.js';
import { redactedError } from '../logging/redactingLogger.js';
import { telegramApp } from '../telegramApp.js';
import { TelegramFrontend } from '../TelegramFrontend.js';

export interface StandaloneIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Where the config file and relative paths are looked for (default: the process's). */
  cwd?: string;
  stdout: NodeJS.WritableStream;
  /** Logs, and why it could not start. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM: the bot stops gracefully. */
  signal: AbortSignal;
}

const NAME = 'comfyrelay-telegram';

/**
 * The Telegram bot alone on the platform, configured as `comfyrelay start` is (the file
 * COMFYRELAY_CONFIG names, else comfyrelay.config.json|yaml|yml here, the environment over it:
 * servers, dataDir, limits, logging, workflowsDir, shutdownSeconds and `telegram`), until the
 * signal; resolves with the exit status: 0 after a graceful stop, 2 for a configuration it cannot
 * run with, 1 when it could not start. `comfyrelay telegram` does the same with the CLI's options
 * and, without a server, the built-in simulator.
 */
export async function runTelegramBot(io: StandaloneIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const file = io.env['COMFYRELAY_CONFIG']?.trim();
  const loaded = await loadConfig({
    sections: [...PLATFORM_SECTIONS, telegramSection],
    // What `comfyrelay start` reads besides: its console, the other bot.
    otherSections: ['console', 'discord'],
    env: io.env,
    cwd,
    ...(file ? { file } : {}),
  });
  if (!loaded.ok) {
    io.stderr.write(`${NAME}: ${formatProblems(loaded.problems, loaded.source)}\n`);
    return 2;
  }
  const { config } = loaded;
  if (config.telegram === undefined) {
    io.stderr.write(`${NAME}: ${TELEGRAM_NOT_CONFIGURED}\n`);
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
  const options = platformOptionsFrom(config, cwd);
  let platform: Platform;
  try {
    platform = await startPlatform({
      ...options,
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
      apps: [telegramApp(config.telegram)],
      logger,
    });
  } catch (error) {
    io.stderr.write(`${NAME}: ${firstLine(redactedError(error, config.telegram.token))}\n`);
    return 1;
  }
  const bot = platform.frontends.find((frontend) => frontend instanceof TelegramFrontend);
  io.stdout.write(
    `${NAME}: @${bot?.username ?? '?'} is running (${bot?.mode ?? '?'}), ComfyUI at ${options.servers.map((server) => server.url).join(', ')}\n`,
  );
  await aborted(io.signal);
  io.stdout.write(`${NAME}: stopping…\n`);
  await platform.stop();
  io.stdout.write(`${NAME}: stopped\n`);
  return 0;
}

const NO_SERVER =
  'no ComfyUI server is configured; set COMFYUI_URL (or "servers" in the config file), or try the bot on the built-in simulator with "comfyrelay telegram"';

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

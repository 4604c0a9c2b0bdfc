import { runStandaloneApp, type StandaloneIo } from '@comfyrelay/platform';
import { createFolderWorkflowsPlugin } from '@comfyrelay/plugin-folder';
import { createImagePlugin } from '@comfyrelay/plugin-image';
import { createVideoPlugin } from '@comfyrelay/plugin-video';
import { TELEGRAM_NOT_CONFIGURED, telegramSection } from '../config/telegramSection.js';
import { redactedError } from '../logging/redactingLogger.js';
import { telegramApp } from '../telegramApp.js';
import { TelegramFrontend } from '../TelegramFrontend.js';

export type { StandaloneIo };

/**
 * The Telegram bot alone on the platform (`comfyrelay-telegram`), configured as `comfyrelay
 * start` is: servers, dataDir, limits, logging, workflowsDir, shutdownSeconds and `telegram`.
 * Resolves with the exit status: 0 after a graceful stop, 2 for a configuration it cannot run
 * with, 1 when it could not start. `comfyrelay telegram` does the same with the CLI's options
 * and, without a server, the built-in simulator.
 */
export function runTelegramBot(io: StandaloneIo): Promise<number> {
  return runStandaloneApp(
    {
      program: 'comfyrelay-telegram',
      section: telegramSection,
      notConfigured: TELEGRAM_NOT_CONFIGURED,
      // What `comfyrelay start` reads besides: its console, the other bot.
      otherSections: ['console', 'discord'],
      simulatorCommand: 'comfyrelay telegram',
      plugins: [createImagePlugin(), createVideoPlugin()],
      folderPlugin: (dir, relay, logger) =>
        createFolderWorkflowsPlugin({ dir, fetchObjectInfo: () => relay.objectInfo(), logger }),
      app: telegramApp,
      running: (platform) => {
        const bot = platform.frontends.find((frontend) => frontend instanceof TelegramFrontend);
        const servers = platform.relay.backends().map((backend) => backend.url);
        return `@${bot?.username ?? '?'} is running (${bot?.mode ?? '?'}), ComfyUI at ${servers.join(', ')}`;
      },
      startError: (error, config) => redactedError(error, config.token),
    },
    io,
  );
}

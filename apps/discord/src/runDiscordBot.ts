import { runStandaloneApp, type StandaloneIo } from '@comfyrelay/platform';
import { createFolderWorkflowsPlugin } from '@comfyrelay/plugin-folder';
import { createImagePlugin } from '@comfyrelay/plugin-image';
import { createVideoPlugin } from '@comfyrelay/plugin-video';
import { DISCORD_NOT_CONFIGURED, discordSection } from './config/discordSection.js';
import { discordApp } from './discordApp.js';
import { DiscordFrontend } from './DiscordFrontend.js';

export type BotIo = StandaloneIo;

/**
 * The bot alone on the platform (`comfyrelay-discord`), configured as `comfyrelay start` is:
 * servers, dataDir, limits, logging, workflowsDir, shutdownSeconds and `discord`. Resolves with
 * the exit status: 0 after a graceful stop, 2 for a configuration it cannot run with, 1 when it
 * could not start. `comfyrelay discord` does the same with the CLI's options and, without a
 * server, the built-in simulator.
 */
export function runDiscordBot(io: BotIo): Promise<number> {
  return runStandaloneApp(
    {
      program: 'comfyrelay-discord',
      section: discordSection,
      notConfigured: DISCORD_NOT_CONFIGURED,
      // What `comfyrelay start` reads besides: its console, the other bot.
      otherSections: ['console', 'telegram'],
      simulatorCommand: 'comfyrelay discord',
      plugins: [createImagePlugin(), createVideoPlugin()],
      folderPlugin: (dir, relay, logger) =>
        createFolderWorkflowsPlugin({ dir, fetchObjectInfo: () => relay.objectInfo(), logger }),
      app: discordApp,
      running: (platform) => {
        const bot = platform.frontends.find((frontend) => frontend instanceof DiscordFrontend);
        return `running as ${bot?.tag ?? 'the bot'}; add it to a server: ${bot?.inviteUrl ?? ''}`;
      },
    },
    io,
  );
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { startPlatform, type Platform } from '@comfyrelay/platform';
import { imagePlugin } from '@comfyrelay/plugin-image';
import { videoPlugin } from '@comfyrelay/plugin-video';
import { FakeTelegram, type FakeTelegramOptions } from '@comfyrelay/testkit-telegram';
import { afterEach } from 'vitest';
import { telegramApp, type TelegramConfig } from '../../src/index.js';
import { telegramConfigFrom } from './configFrom.js';
import { recordingLogger } from './logs.js';
import { BOT } from './people.js';

export interface BotOptions {
  telegram?: FakeTelegramOptions;
  /** More TELEGRAM_* variables. */
  env?: Record<string, string>;
}

/** The bot on the platform, the fake Bot API and the ComfyUI simulator, all on 127.0.0.1. */
export interface RunningBot {
  telegram: FakeTelegram;
  sim: ComfySimulator;
  platform: Platform;
  config: TelegramConfig;
  logs: string[];
  /** Stops the platform and starts a new one on the same data dir, Bot API and simulator. */
  restart(): Promise<Platform>;
}

/** Per test: the bot stops first, then the fake Bot API, the simulator and the data dir go. */
export function useBot(): { start(options?: BotOptions): Promise<RunningBot> } {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  return {
    async start(options = {}) {
      const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 5 });
      cleanup.push(() => sim.stop());
      const telegram = await FakeTelegram.start({
        bot: { username: BOT, first_name: 'Render Bot' },
        ...options.telegram,
      });
      cleanup.push(() => telegram.stop());
      const dataDir = await mkdtemp(join(tmpdir(), 'comfyrelay-telegram-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const config = await telegramConfigFrom({
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        ...options.env,
      });
      const logger = recordingLogger();
      const launch = async () => {
        const platform = await startPlatform({
          comfyUrls: [sim.url],
          dataDir,
          plugins: [imagePlugin, videoPlugin],
          apps: [telegramApp(config)],
          logger,
          // A restart here is a bot that goes at once: what runs is left for the next start.
          drainMs: 0,
          relay: { historyRetryDelayMs: 20 },
        });
        cleanup.push(() => platform.stop());
        return platform;
      };
      const bot: RunningBot = {
        telegram,
        sim,
        config,
        logs: logger.lines,
        platform: await launch(),
        async restart() {
          await bot.platform.stop();
          bot.platform = await launch();
          return bot.platform;
        },
      };
      return bot;
    },
  };
}

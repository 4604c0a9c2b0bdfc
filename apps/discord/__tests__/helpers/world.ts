import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { createConsoleLogger, silentLogger, type RelayConfig } from '@comfyrelay/core';
import { startPlatform, type Platform } from '@comfyrelay/platform';
import { imagePlugin } from '@comfyrelay/plugin-image';
import { videoPlugin } from '@comfyrelay/plugin-video';
import { FakeDiscord, type FakeDiscordOptions } from '@comfyrelay/testkit-discord';
import { afterEach } from 'vitest';
import { discordApp, type DiscordTuning } from '../../src/index.js';
import { discordConfigFrom } from './configFrom.js';

/** A fake Discord, a ComfyUI simulator and the bot on the platform, all on 127.0.0.1. */
export interface World {
  discord: FakeDiscord;
  sim: ComfySimulator;
  dataDir: string;
  /** The env the bot was configured from (also for the child-process tests). */
  env: Record<string, string>;
  bot: Platform;
  /** Stops the bot (its unfinished jobs stay in the store) and starts a new one on the same data. */
  restartBot(): Promise<Platform>;
}

export interface WorldOptions {
  discord?: FakeDiscordOptions;
  simStepDelayMs?: number;
  tuning?: DiscordTuning;
  relay?: Partial<Omit<RelayConfig, 'backends'>>;
  env?: Record<string, string>;
}

/** A stop leaves running jobs for the next start at once, as a restart mid-job does. */
const DRAIN_MS = 0;

/** Call at the top of a test file: each test's world is torn down after it. */
export function useWorlds(): (options?: WorldOptions) => Promise<World> {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  return async (options = {}) => {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: options.simStepDelayMs ?? 2 });
    cleanups.push(() => sim.stop());
    const discord = await FakeDiscord.start({ heartbeatIntervalMs: 5_000, ...options.discord });
    cleanups.push(() => discord.stop());
    const dataDir = await mkdtemp(join(tmpdir(), 'comfyrelay-discord-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_IDS: discord.guild().id,
      ...options.env,
    };
    const config = await discordConfigFrom(env);
    const startBot = async () => {
      const platform = await startPlatform({
        comfyUrls: [sim.url],
        dataDir,
        plugins: [imagePlugin, videoPlugin],
        apps: [discordApp(config, options.tuning)],
        logger: process.env['WORLD_LOG'] ? createConsoleLogger('debug') : silentLogger,
        drainMs: DRAIN_MS,
        relay: { historyRetryDelayMs: 20, ...options.relay },
      });
      cleanups.push(() => platform.stop());
      return platform;
    };
    const world: World = {
      discord,
      sim,
      dataDir,
      env,
      bot: await startBot(),
      async restartBot() {
        await world.bot.stop();
        world.bot = await startBot();
        return world.bot;
      },
    };
    return world;
  };
}

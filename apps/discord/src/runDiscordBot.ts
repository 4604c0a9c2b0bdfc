import { createConsoleLogger, type LogLevel } from '@comfyrelay/core';
import { startPlatform } from '@comfyrelay/platform';
import { imagePlugin } from '@comfyrelay/plugin-image';
import { videoPlugin } from '@comfyrelay/plugin-video';
import { z } from 'zod';
import { ConfigError } from './config/ConfigError.js';
import { discordConfigFromEnv, type Environment } from './config/DiscordConfig.js';
import { discordApp } from './discordApp.js';

export interface BotIo {
  env: Environment;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Aborted by SIGINT / SIGTERM: the bot stops gracefully. */
  signal: AbortSignal;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/**
 * The bot alone, on the platform (ComfyUI from `COMFYUI_URL`, the store in
 * `COMFYRELAY_DATA_DIR`, the image and video workflows), until `signal` aborts. Resolves with
 * the exit status: 0 after a graceful stop, 1 with one line on stderr when it cannot start.
 */
export async function runDiscordBot(io: BotIo): Promise<number> {
  let settings: ReturnType<typeof botSettingsFrom>;
  try {
    settings = botSettingsFrom(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`comfyrelay-discord: ${error.message}\n`);
    return 1;
  }
  const logger = createConsoleLogger(settings.logLevel, 'comfyrelay-discord', io.stderr);
  let platform;
  try {
    platform = await startPlatform({
      comfyUrls: settings.comfyUrls,
      dataDir: settings.dataDir,
      plugins: [imagePlugin, videoPlugin],
      apps: [discordApp(settings.discord)],
      logger,
      relay: { scheduling: { limits: settings.discord.limits } },
    });
  } catch (error) {
    io.stderr.write(
      `comfyrelay-discord: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  io.stdout.write('comfyrelay-discord is running\n');
  if (!io.signal.aborted)
    await new Promise((resolve) => io.signal.addEventListener('abort', resolve));
  io.stdout.write('stopping…\n');
  await platform.stop();
  io.stdout.write('stopped\n');
  return 0;
}

function botSettingsFrom(env: Environment) {
  const discord = discordConfigFromEnv(env);
  return {
    discord,
    comfyUrls: comfyUrlsFrom(env['COMFYUI_URL']),
    dataDir: env['COMFYRELAY_DATA_DIR']?.trim() || './data',
    logLevel: logLevelFrom(env['COMFYRELAY_LOG_LEVEL']),
  };
}

function comfyUrlsFrom(raw: string | undefined): string[] {
  const hint = 'give the ComfyUI server as http://HOST:PORT (several separated by commas)';
  if (raw === undefined || raw.trim() === '')
    throw new ConfigError('COMFYUI_URL', `is not set; ${hint}`);
  const url = z.url({ protocol: /^https?$/ });
  return raw.split(',').map((part) => {
    const parsed = url.safeParse(part.trim());
    if (!parsed.success)
      throw new ConfigError('COMFYUI_URL', `has an entry that is not a URL; ${hint}`);
    return parsed.data;
  });
}

function logLevelFrom(raw: string | undefined): LogLevel {
  const wanted = raw?.trim().toLowerCase();
  if (wanted === undefined || wanted === '') return 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === wanted);
  if (!level)
    throw new ConfigError('COMFYRELAY_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

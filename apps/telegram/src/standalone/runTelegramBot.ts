import { createConsoleLogger } from '@comfyrelay/core';
import { startPlatform, type Platform } from '@comfyrelay/platform';
import { imagePlugin } from '@comfyrelay/plugin-image';
import { videoPlugin } from '@comfyrelay/plugin-video';
import { ConfigError } from '../config/ConfigError.js';
import { redactedError, redactingLogger } from '../logging/redactingLogger.js';
import { telegramApp } from '../telegramApp.js';
import { TelegramFrontend } from '../TelegramFrontend.js';
import { standaloneConfigFromEnv, type StandaloneConfig } from './standaloneConfigFromEnv.js';

export interface StandaloneIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Aborted on SIGINT/SIGTERM: the bot stops gracefully. */
  signal: AbortSignal;
}

const NAME = 'comfyrelay-telegram';

/**
 * The Telegram bot alone on the platform (image and video workflows, the SQLite store in the
 * data directory) until the signal; resolves with the exit status: 0 after a graceful stop, 2
 * for a bad setting, 1 when it could not start.
 */
export async function runTelegramBot(
  env: Record<string, string | undefined>,
  io: StandaloneIo,
): Promise<number> {
  let config: StandaloneConfig;
  try {
    config = standaloneConfigFromEnv(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${NAME}: ${error.message}\n`);
    return 2;
  }
  const token = config.telegram.token;
  const logger = redactingLogger(createConsoleLogger(config.logLevel, NAME, io.stderr), token);
  let platform: Platform;
  try {
    platform = await startPlatform({
      comfyUrls: config.comfyUrls,
      dataDir: config.dataDir,
      plugins: [imagePlugin, videoPlugin],
      apps: [telegramApp(config.telegram)],
      logger,
    });
  } catch (error) {
    io.stderr.write(`${NAME}: ${firstLine(redactedError(error, token))}\n`);
    return 1;
  }
  const bot = platform.frontends.find((frontend) => frontend instanceof TelegramFrontend);
  io.stdout.write(
    `${NAME}: @${bot?.username ?? '?'} is running (${bot?.mode ?? '?'}), ComfyUI at ${config.comfyUrls.join(', ')}\n`,
  );
  await aborted(io.signal);
  io.stdout.write(`${NAME}: stopping…\n`);
  await platform.stop();
  io.stdout.write(`${NAME}: stopped\n`);
  return 0;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

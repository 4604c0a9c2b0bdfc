import type { LogLevel } from '@comfyrelay/core';
import { z } from 'zod';
import { ConfigError } from '../config/ConfigError.js';
import type { TelegramConfig } from '../config/TelegramConfig.js';
import { telegramConfigFromEnv } from '../config/telegramConfigFromEnv.js';

/** The bot on its own: the Telegram settings, and where ComfyUI and the data are. */
export interface StandaloneConfig {
  telegram: TelegramConfig;
  comfyUrls: string[];
  dataDir: string;
  logLevel: LogLevel;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const envSchema = z.object({
  COMFYUI_URL: z
    .string()
    .default('http://127.0.0.1:8188')
    .transform((value, ctx) => {
      const urls = value.split(',').map((url) => url.trim().replace(/\/+$/, ''));
      const bad = urls.find((url) => !isHttpUrl(url));
      if (bad === undefined) return urls;
      ctx.addIssue({
        code: 'custom',
        message: `has "${bad}", which is not a ComfyUI URL such as http://127.0.0.1:8188`,
      });
      return z.NEVER;
    }),
  COMFYRELAY_DATA_DIR: z.string().default('./data'),
  COMFYRELAY_LOG_LEVEL: z
    .string()
    .default('info')
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
});

/** One line naming the key for a bad value, as `telegramConfigFromEnv` does. */
export function standaloneConfigFromEnv(env: Record<string, string | undefined>): StandaloneConfig {
  const telegram = telegramConfigFromEnv(env);
  const given = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key]?.trim() || undefined]),
  );
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? 'configuration')} ${issue?.message ?? ''}`);
  }
  return {
    telegram,
    comfyUrls: parsed.data.COMFYUI_URL,
    dataDir: parsed.data.COMFYRELAY_DATA_DIR,
    logLevel: parsed.data.COMFYRELAY_LOG_LEVEL,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol, hostname } = new URL(value);
    return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
  } catch {
    return false;
  }
}

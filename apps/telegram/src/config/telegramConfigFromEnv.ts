import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseByteSize } from './byteSize.js';
import { ConfigError } from './ConfigError.js';
import type { TelegramConfig } from './TelegramConfig.js';

const MB = 1024 * 1024;
/** Telegram's own limits for bots on api.telegram.org (a local Bot API server takes 2000 MB). */
export const TELEGRAM_PHOTO_LIMIT = 10 * MB;
export const TELEGRAM_UPLOAD_LIMIT = 50 * MB;
/** Telegram sends webhooks to ports 443, 80, 88 and 8443. */
const DEFAULT_WEBHOOK_PORT = 8443;

const TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

const text = z.string().optional();

const token = z
  .string({ error: 'is not set; give the token @BotFather made for your bot' })
  .regex(TOKEN, 'does not look like a bot token (digits, a colon, then letters, digits, - or _)');

const url = (what: string) =>
  text.refine((value) => value === undefined || isHttpUrl(value), {
    error: (issue) => `is "${String(issue.input)}", which is not ${what} (http:// or https://)`,
  });

const idList = (what: string, example: string) =>
  text.transform((value, ctx) => {
    const ids = (value ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    const bad = ids.find((id) => !/^-?\d{1,20}$/.test(id));
    if (bad === undefined) return ids;
    ctx.addIssue({
      code: 'custom',
      message: `has "${bad}", which is not a ${what} (a whole number such as ${example})`,
    });
    return z.NEVER;
  });

const byteSize = (fallback: number) =>
  text.transform((value, ctx) => {
    if (value === undefined) return fallback;
    const bytes = parseByteSize(value);
    if (bytes !== undefined) return bytes;
    ctx.addIssue({ code: 'custom', message: `is "${value}", which is not a size such as 50MB` });
    return z.NEVER;
  });

const port = text.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (/^\d+$/.test(value) && number <= 65535) return number;
  ctx.addIssue({ code: 'custom', message: `is "${value}", which is not a port from 0 to 65535` });
  return z.NEVER;
});

const envSchema = z.object({
  TELEGRAM_BOT_TOKEN: token,
  TELEGRAM_API_ROOT: url('a Bot API server address'),
  TELEGRAM_ALLOWED_CHATS: idList('chat id', '-1001234567890'),
  TELEGRAM_ADMIN_USERS: idList('user id', '123456789'),
  TELEGRAM_BUTTON_SECRET: text.refine((value) => value === undefined || value.length >= 16, {
    error: 'is too short; use at least 16 characters',
  }),
  TELEGRAM_MAX_PHOTO_SIZE: byteSize(TELEGRAM_PHOTO_LIMIT),
  TELEGRAM_MAX_UPLOAD_SIZE: byteSize(TELEGRAM_UPLOAD_LIMIT),
  TELEGRAM_WEBHOOK_URL: url('a webhook URL'),
  TELEGRAM_WEBHOOK_SECRET: text.refine((value) => value === undefined || SECRET_TOKEN.test(value), {
    error: 'must be 1 to 256 characters: letters, digits, - and _',
  }),
  TELEGRAM_WEBHOOK_HOST: text,
  TELEGRAM_WEBHOOK_PORT: port,
});

type EnvKey = keyof typeof envSchema.shape;
const KEYS = Object.keys(envSchema.shape) as EnvKey[];
const WEBHOOK_DETAILS = [
  'TELEGRAM_WEBHOOK_SECRET',
  'TELEGRAM_WEBHOOK_HOST',
  'TELEGRAM_WEBHOOK_PORT',
] as const;

/**
 * The bot's configuration from the environment. A bad value throws a {@link ConfigError} whose
 * message is one line naming the key; the token itself never appears in it.
 */
export function telegramConfigFromEnv(env: Record<string, string | undefined>): TelegramConfig {
  // An empty variable (`FOO=` in a .env file) means "not set".
  const given = Object.fromEntries(
    KEYS.map((key) => [key, env[key]?.trim() === '' ? undefined : env[key]?.trim()]),
  );
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? 'configuration')} ${issue?.message ?? ''}`);
  }
  const values = parsed.data;
  const webhookUrl = values.TELEGRAM_WEBHOOK_URL;
  const stray = WEBHOOK_DETAILS.find((key) => values[key] !== undefined);
  if (webhookUrl === undefined && stray !== undefined)
    throw new ConfigError(
      `${stray} is set but TELEGRAM_WEBHOOK_URL is not; set both for webhook mode, or neither for long polling`,
    );
  return {
    token: values.TELEGRAM_BOT_TOKEN,
    ...(values.TELEGRAM_API_ROOT !== undefined
      ? { apiRoot: values.TELEGRAM_API_ROOT.replace(/\/+$/, '') }
      : {}),
    allowedChats: values.TELEGRAM_ALLOWED_CHATS,
    adminUsers: values.TELEGRAM_ADMIN_USERS,
    buttonSecret:
      values.TELEGRAM_BUTTON_SECRET ?? derivedSecret('buttons', values.TELEGRAM_BOT_TOKEN),
    photoLimitBytes: values.TELEGRAM_MAX_PHOTO_SIZE,
    uploadLimitBytes: values.TELEGRAM_MAX_UPLOAD_SIZE,
    ...(webhookUrl !== undefined
      ? {
          webhook: {
            url: webhookUrl,
            secret:
              values.TELEGRAM_WEBHOOK_SECRET ?? derivedSecret('webhook', values.TELEGRAM_BOT_TOKEN),
            host: values.TELEGRAM_WEBHOOK_HOST ?? '0.0.0.0',
            port: values.TELEGRAM_WEBHOOK_PORT ?? portOf(webhookUrl),
          },
        }
      : {}),
  };
}

/** Stable across restarts without one more setting, and useless to anyone without the token. */
function derivedSecret(purpose: string, botToken: string): string {
  return createHash('sha256')
    .update(`comfyrelay:telegram:${purpose}:${botToken}`)
    .digest('base64url');
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol, hostname } = new URL(value);
    return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
  } catch {
    return false;
  }
}

function portOf(webhookUrl: string): number {
  const { port } = new URL(webhookUrl);
  return port === '' ? DEFAULT_WEBHOOK_PORT : Number(port);
}

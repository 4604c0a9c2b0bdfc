import { createHash } from 'node:crypto';
import { defineSection } from '@comfyrelay/platform';
import { z } from 'zod';
import { parseByteSize } from './byteSize.js';
import type { TelegramConfig } from './TelegramConfig.js';

const MB = 1024 * 1024;
/** Telegram's own limits for bots on api.telegram.org (a local Bot API server takes 2000 MB). */
export const TELEGRAM_PHOTO_LIMIT = 10 * MB;
export const TELEGRAM_UPLOAD_LIMIT = 50 * MB;
/** Telegram sends webhooks to ports 443, 80, 88 and 8443. */
const DEFAULT_WEBHOOK_PORT = 8443;

const TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

const address = (what: string, example: string, missing?: string) =>
  z.url({
    protocol: /^https?$/,
    error: (issue) =>
      issue.input === undefined
        ? missing
        : `expected ${what} (http:// or https://), such as ${example}`,
  });

/** A chat or user id: text in the environment, a number or text in the file (they fit a double). */
const ids = (what: string, example: string) =>
  z
    .array(
      z.preprocess(
        (value) =>
          typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value,
        z
          .string({ error: `expected a ${what} (a whole number such as ${example})` })
          .regex(/^-?\d{1,20}$/, {
            error: `expected a ${what} (a whole number such as ${example})`,
          }),
      ),
    )
    .default([]);

/** "10MB", "1.5 GB", "512kb", or a number of bytes. */
const byteSize = (fallback: number) =>
  z
    .preprocess(
      (value) => (typeof value === 'string' ? (parseByteSize(value) ?? value) : value),
      z
        .number({ error: 'expected a size such as 50MB (or a number of bytes)' })
        .int()
        .positive({ error: 'expected a size such as 50MB (or a number of bytes)' }),
    )
    .default(fallback);

const webhook = z.strictObject({
  url: address(
    'a webhook URL',
    'https://bot.example.org/telegram',
    'is not set (TELEGRAM_WEBHOOK_URL); set it for webhook mode, or leave the other webhook keys unset for long polling',
  ),
  secret: z
    .string()
    .regex(SECRET_TOKEN, { error: 'must be 1 to 256 characters: letters, digits, - and _' })
    .optional(),
  host: z.string().min(1).optional(),
  port: z
    .number({ error: 'expected a port from 0 to 65535' })
    .int({ error: 'expected a port from 0 to 65535' })
    .min(0, { error: 'expected a port from 0 to 65535' })
    .max(65_535, { error: 'expected a port from 0 to 65535' })
    .optional(),
});

const schema = z
  .strictObject({
    token: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? 'is not set (TELEGRAM_BOT_TOKEN); give the token @BotFather made for your bot'
            : undefined,
      })
      .regex(TOKEN, {
        error: 'does not look like a bot token (digits, a colon, then letters, digits, - or _)',
      }),
    apiRoot: address('a Bot API server address', 'http://127.0.0.1:8081').optional(),
    allowedChats: ids('chat id', '-1001234567890'),
    adminUsers: ids('user id', '123456789'),
    buttonSecret: z
      .string()
      .min(16, { error: 'is too short; use at least 16 characters' })
      .optional(),
    maxPhotoSize: byteSize(TELEGRAM_PHOTO_LIMIT),
    maxUploadSize: byteSize(TELEGRAM_UPLOAD_LIMIT),
    webhook: webhook.optional(),
  })
  .transform(({ token, apiRoot, buttonSecret, webhook, ...rest }): TelegramConfig => ({
    token,
    ...(apiRoot !== undefined ? { apiRoot: apiRoot.replace(/\/+$/, '') } : {}),
    ...rest,
    buttonSecret: buttonSecret ?? derivedSecret('buttons', token),
    ...(webhook !== undefined
      ? {
          webhook: {
            url: webhook.url,
            secret: webhook.secret ?? derivedSecret('webhook', token),
            host: webhook.host ?? '0.0.0.0',
            port: webhook.port ?? portOf(webhook.url),
          },
        }
      : {}),
  }))
  .optional();

/**
 * The `telegram` key of the configuration (comfyrelay.config.json or .yaml) and the environment
 * variables that set it; its value is what `telegramApp` takes. Absent when none of its keys is
 * set: the bot then does not run. The button and webhook secrets default to ones derived from the
 * token: stable across restarts, and useless to anyone without it.
 */
export const telegramSection = defineSection({
  key: 'telegram',
  schema,
  env: {
    TELEGRAM_BOT_TOKEN: 'token',
    TELEGRAM_API_ROOT: 'apiRoot',
    TELEGRAM_ALLOWED_CHATS: { path: 'allowedChats', read: 'list' },
    TELEGRAM_ADMIN_USERS: { path: 'adminUsers', read: 'list' },
    TELEGRAM_BUTTON_SECRET: 'buttonSecret',
    TELEGRAM_MAX_PHOTO_SIZE: 'maxPhotoSize',
    TELEGRAM_MAX_UPLOAD_SIZE: 'maxUploadSize',
    TELEGRAM_WEBHOOK_URL: 'webhook.url',
    TELEGRAM_WEBHOOK_SECRET: 'webhook.secret',
    TELEGRAM_WEBHOOK_HOST: 'webhook.host',
    TELEGRAM_WEBHOOK_PORT: { path: 'webhook.port', read: 'number' },
  },
  secrets: ['token', 'buttonSecret', 'webhook.secret'],
});

/** Why the Telegram bot cannot run when its section is absent: one line. */
export const TELEGRAM_NOT_CONFIGURED =
  'TELEGRAM_BOT_TOKEN is not set; give it the token @BotFather made for your bot (or set telegram.token in the config file)';

function derivedSecret(purpose: string, botToken: string): string {
  return createHash('sha256')
    .update(`comfyrelay:telegram:${purpose}:${botToken}`)
    .digest('base64url');
}

function portOf(webhookUrl: string): number {
  const { port } = new URL(webhookUrl);
  return port === '' ? DEFAULT_WEBHOOK_PORT : Number(port);
}

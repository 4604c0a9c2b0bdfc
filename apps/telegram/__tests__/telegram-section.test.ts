import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DERIVED_MASK,
  formatProblem,
  loadConfig,
  MASK,
  PLATFORM_SECTIONS,
  type Environment,
} from '@comfyrelay/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { telegramSection, TELEGRAM_NOT_CONFIGURED } from '../src/index.js';

/**
 * The `telegram` section: the config file's camelCase keys, the TELEGRAM_* variables over them,
 * validated into what `telegramApp` takes; problems name the key as written and never a secret.
 */

const TOKEN = '123456:ABC-def_ghi';
const MB = 1024 * 1024;

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function load(env: Environment, files: Record<string, string> = {}) {
  const cwd = await mkdtemp(join(tmpdir(), 'comfyrelay-telegram-section-'));
  folders.push(cwd);
  for (const [name, text] of Object.entries(files)) await writeFile(join(cwd, name), text);
  return loadConfig({ sections: [...PLATFORM_SECTIONS, telegramSection], env, cwd });
}

async function configOf(env: Environment, files?: Record<string, string>) {
  const loaded = await load(env, files);
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  return loaded;
}

async function telegramOf(env: Environment, files?: Record<string, string>) {
  const telegram = (await configOf(env, files)).config.telegram;
  if (!telegram) throw new Error('no telegram section');
  return telegram;
}

async function problemsOf(env: Environment, files?: Record<string, string>): Promise<string[]> {
  const loaded = await load(env, files);
  if (loaded.ok) throw new Error('the configuration was accepted');
  return loaded.problems.map(formatProblem);
}

describe('the telegram section', () => {
  it('needs only the token: long polling, Telegram’s limits, secrets derived from the token', async () => {
    const config = await telegramOf({ TELEGRAM_BOT_TOKEN: TOKEN });
    expect(config).toEqual({
      token: TOKEN,
      allowedChats: [],
      adminUsers: [],
      buttonSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      maxPhotoSize: 10 * MB,
      maxUploadSize: 50 * MB,
    });
    expect(config.buttonSecret).not.toContain(TOKEN);
    // The same secret at every start (old buttons keep working), another for another bot.
    expect((await telegramOf({ TELEGRAM_BOT_TOKEN: TOKEN })).buttonSecret).toBe(
      config.buttonSecret,
    );
    expect((await telegramOf({ TELEGRAM_BOT_TOKEN: '9:other' })).buttonSecret).not.toBe(
      config.buttonSecret,
    );
  });

  it('reads chats, admins, sizes, the API root and webhook mode from the environment', async () => {
    const config = await telegramOf({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      TELEGRAM_ALLOWED_CHATS: '-1001234567890, 42',
      TELEGRAM_ADMIN_USERS: '7',
      TELEGRAM_MAX_PHOTO_SIZE: '5 MB',
      TELEGRAM_MAX_UPLOAD_SIZE: '2000MB',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook',
      TELEGRAM_WEBHOOK_SECRET: 'a-secret_1',
      TELEGRAM_WEBHOOK_HOST: '127.0.0.1',
      TELEGRAM_WEBHOOK_PORT: '8088',
      TELEGRAM_BUTTON_SECRET: 'sixteen chars or more',
    });
    expect(config).toEqual({
      token: TOKEN,
      apiRoot: 'http://127.0.0.1:8081',
      allowedChats: ['-1001234567890', '42'],
      adminUsers: ['7'],
      maxPhotoSize: 5 * MB,
      maxUploadSize: 2000 * MB,
      buttonSecret: 'sixteen chars or more',
      webhook: {
        url: 'https://bot.example.org/hook',
        secret: 'a-secret_1',
        host: '127.0.0.1',
        port: 8088,
      },
    });
    const onItsPort = await telegramOf({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org:88/hook',
    });
    expect(onItsPort.webhook).toEqual({
      url: 'https://bot.example.org:88/hook',
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      host: '0.0.0.0',
      port: 88,
    });
    expect(
      (await telegramOf({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://x.org/h' }))
        .webhook?.port,
    ).toBe(8443);
  });

  it('reads the same keys from the config file (ids and sizes as numbers too); the environment wins', async () => {
    const yaml = [
      'telegram:',
      '  token: "1:from-the-file"',
      '  allowedChats: [-1001234567890, "42"]',
      '  adminUsers: [7]',
      '  maxPhotoSize: 1048576',
      '  maxUploadSize: 1.5 GB',
      '  webhook:',
      '    url: https://bot.example.org/hook',
      '    port: 8443',
      '',
    ].join('\n');
    const config = await telegramOf(
      { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_PORT: '88' },
      { 'comfyrelay.config.yaml': yaml },
    );
    expect(config).toMatchObject({
      token: TOKEN,
      allowedChats: ['-1001234567890', '42'],
      adminUsers: ['7'],
      maxPhotoSize: MB,
      maxUploadSize: 1.5 * 1024 * MB,
      webhook: { url: 'https://bot.example.org/hook', host: '0.0.0.0', port: 88 },
    });
  });

  it('is absent when none of its keys is set; once one is, the token is asked for', async () => {
    expect((await configOf({})).config.telegram).toBeUndefined();
    expect(await problemsOf({ TELEGRAM_ALLOWED_CHATS: '42' })).toEqual([
      'telegram.token: is not set (TELEGRAM_BOT_TOKEN); give the token @BotFather made for your bot',
    ]);
    expect(TELEGRAM_NOT_CONFIGURED).toMatch(/^TELEGRAM_BOT_TOKEN is not set; /);
  });

  it('says what is wrong with each bad value, by the key as written and the variable it came from', async () => {
    expect(
      await problemsOf({
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: 'ftp://x',
        TELEGRAM_ALLOWED_CHATS: '12,general',
        TELEGRAM_ADMIN_USERS: '@ann',
        TELEGRAM_MAX_PHOTO_SIZE: 'big',
        TELEGRAM_MAX_UPLOAD_SIZE: '0',
        TELEGRAM_WEBHOOK_URL: 'hook',
        TELEGRAM_WEBHOOK_HOST: 'localhost',
        TELEGRAM_WEBHOOK_PORT: '70000',
      }),
    ).toEqual([
      "telegram.apiRoot (from TELEGRAM_API_ROOT): expected a Bot API server address (http:// or https://), such as http://127.0.0.1:8081, got 'ftp://x'",
      "telegram.allowedChats[1] (from TELEGRAM_ALLOWED_CHATS): expected a chat id (a whole number such as -1001234567890), got 'general'",
      "telegram.adminUsers[0] (from TELEGRAM_ADMIN_USERS): expected a user id (a whole number such as 123456789), got '@ann'",
      "telegram.maxPhotoSize (from TELEGRAM_MAX_PHOTO_SIZE): expected a size such as 50MB (or a number of bytes), got 'big'",
      "telegram.maxUploadSize (from TELEGRAM_MAX_UPLOAD_SIZE): expected a size such as 50MB (or a number of bytes), got '0'",
      "telegram.webhook.url (from TELEGRAM_WEBHOOK_URL): expected a webhook URL (http:// or https://), such as https://bot.example.org/telegram, got 'hook'",
      'telegram.webhook.port (from TELEGRAM_WEBHOOK_PORT): expected a port from 0 to 65535, got 70000',
    ]);
    expect(await problemsOf({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_PORT: '8443' })).toEqual([
      'telegram.webhook.url: is not set (TELEGRAM_WEBHOOK_URL); set it for webhook mode, or leave the other webhook keys unset for long polling',
    ]);
    expect(
      await problemsOf(
        {},
        {
          'comfyrelay.config.json': JSON.stringify({
            telegram: {
              token: TOKEN,
              allowedChat: [1],
              webhook: { url: 'https://x.org/h', path: '/h' },
            },
          }),
        },
      ),
    ).toEqual([
      'telegram.webhook.path: unknown key',
      'telegram.allowedChat: unknown key; did you mean allowedChats?',
    ]);
  });

  it('never repeats a secret: the token, the button secret, the webhook secret', async () => {
    const secret = 'has spaces and is secret';
    expect(
      await problemsOf({
        TELEGRAM_BOT_TOKEN: 'not a token 123:',
        TELEGRAM_BUTTON_SECRET: 'short-secret',
        TELEGRAM_WEBHOOK_URL: 'https://x.org/h',
        TELEGRAM_WEBHOOK_SECRET: secret,
      }),
    ).toEqual([
      'telegram.token (from TELEGRAM_BOT_TOKEN): does not look like a bot token (digits, a colon, then letters, digits, - or _)',
      'telegram.buttonSecret (from TELEGRAM_BUTTON_SECRET): is too short; use at least 16 characters',
      'telegram.webhook.secret (from TELEGRAM_WEBHOOK_SECRET): must be 1 to 256 characters: letters, digits, - and _',
    ]);

    const loaded = await configOf({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook',
    });
    // Secrets made from the token are not shown as set by the operator.
    expect(loaded.effective['telegram']).toMatchObject({
      token: MASK,
      buttonSecret: DERIVED_MASK,
      webhook: { url: 'https://bot.example.org/hook', secret: DERIVED_MASK, port: 8443 },
    });
    const given = await configOf({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_BUTTON_SECRET: 'a-button-secret-of-mine',
    });
    expect(given.effective['telegram']).toMatchObject({ buttonSecret: MASK });
    const telegram = loaded.config.telegram!;
    // The logger is given the token and the secrets derived from it.
    expect(loaded.secrets).toEqual(
      expect.arrayContaining([TOKEN, telegram.buttonSecret, telegram.webhook!.secret]),
    );
    expect(JSON.stringify(loaded.effective)).not.toContain(TOKEN);
  });
});

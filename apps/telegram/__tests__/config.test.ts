import { describe, expect, it } from 'vitest';
import { ConfigError, telegramConfigFromEnv } from '../src/index.js';

const TOKEN = '123456:ABC-def_ghi';

function refusal(env: Record<string, string>): string {
  try {
    telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: TOKEN, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('the configuration was accepted');
}

describe('telegramConfigFromEnv', () => {
  it('needs only the token: long polling, Telegram’s limits, secrets derived from the token', () => {
    const config = telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: TOKEN });
    expect(config).toMatchObject({
      token: TOKEN,
      allowedChats: [],
      adminUsers: [],
      photoLimitBytes: 10 * 1024 * 1024,
      uploadLimitBytes: 50 * 1024 * 1024,
    });
    expect(config.apiRoot).toBeUndefined();
    expect(config.webhook).toBeUndefined();
    expect(config.buttonSecret).not.toContain(TOKEN);
    expect(telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: TOKEN }).buttonSecret).toBe(
      config.buttonSecret,
    );
    expect(telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: '9:other' }).buttonSecret).not.toBe(
      config.buttonSecret,
    );
  });

  it('reads chats, admins, sizes, the API root and webhook mode', () => {
    const config = telegramConfigFromEnv({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      TELEGRAM_ALLOWED_CHATS: '-1001234567890, 42',
      TELEGRAM_ADMIN_USERS: '7',
      TELEGRAM_MAX_PHOTO_SIZE: '5 MB',
      TELEGRAM_MAX_UPLOAD_SIZE: '2000MB',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook',
      TELEGRAM_WEBHOOK_SECRET: 'a-secret_1',
      TELEGRAM_BUTTON_SECRET: 'sixteen chars or more',
    });
    expect(config).toMatchObject({
      apiRoot: 'http://127.0.0.1:8081',
      allowedChats: ['-1001234567890', '42'],
      adminUsers: ['7'],
      photoLimitBytes: 5 * 1024 * 1024,
      uploadLimitBytes: 2000 * 1024 * 1024,
      buttonSecret: 'sixteen chars or more',
      webhook: {
        url: 'https://bot.example.org/hook',
        secret: 'a-secret_1',
        host: '0.0.0.0',
        port: 8443,
      },
    });
    const onItsPort = telegramConfigFromEnv({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org:88/hook',
    });
    expect(onItsPort.webhook?.port).toBe(88);
    expect(onItsPort.webhook?.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    [{ TELEGRAM_BOT_TOKEN: '' }, /^TELEGRAM_BOT_TOKEN is not set/],
    [
      { TELEGRAM_BOT_TOKEN: 'not a token 123:' },
      /^TELEGRAM_BOT_TOKEN does not look like a bot token/,
    ],
    [{ TELEGRAM_API_ROOT: 'ftp://x' }, /^TELEGRAM_API_ROOT is "ftp:\/\/x", which is not/],
    [
      { TELEGRAM_ALLOWED_CHATS: '12,general' },
      /^TELEGRAM_ALLOWED_CHATS has "general", which is not a chat id/,
    ],
    [{ TELEGRAM_ADMIN_USERS: '@ann' }, /^TELEGRAM_ADMIN_USERS has "@ann", which is not a user id/],
    [{ TELEGRAM_MAX_PHOTO_SIZE: 'big' }, /^TELEGRAM_MAX_PHOTO_SIZE is "big", which is not a size/],
    [{ TELEGRAM_MAX_UPLOAD_SIZE: '0' }, /^TELEGRAM_MAX_UPLOAD_SIZE is "0"/],
    [
      { TELEGRAM_WEBHOOK_URL: 'hook' },
      /^TELEGRAM_WEBHOOK_URL is "hook", which is not a webhook URL/,
    ],
    [
      { TELEGRAM_WEBHOOK_URL: 'https://x.org/h', TELEGRAM_WEBHOOK_SECRET: 'has spaces' },
      /^TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters/,
    ],
    [
      { TELEGRAM_WEBHOOK_URL: 'https://x.org/h', TELEGRAM_WEBHOOK_PORT: '70000' },
      /^TELEGRAM_WEBHOOK_PORT is "70000", which is not a port/,
    ],
    [
      { TELEGRAM_WEBHOOK_PORT: '8443' },
      /^TELEGRAM_WEBHOOK_PORT is set but TELEGRAM_WEBHOOK_URL is not/,
    ],
    [{ TELEGRAM_BUTTON_SECRET: 'short' }, /^TELEGRAM_BUTTON_SECRET is too short/],
  ])('refuses %o in one line naming the key, without the token', (env, expected) => {
    const message = refusal(env);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
    expect(message).not.toContain(TOKEN);
  });
});

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, discordConfigFromEnv } from '../src/index.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.secret-part_of-the-token';
const good = {
  DISCORD_TOKEN: TOKEN,
  DISCORD_APPLICATION_ID: '123456789012345678',
};

function problemWith(env: Record<string, string | undefined>): string {
  try {
    discordConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('discordConfigFromEnv', () => {
  it('reads every key into one typed configuration', () => {
    const config = discordConfigFromEnv({
      ...good,
      DISCORD_GUILD_IDS: '111111111111111111, 222222222222222222',
      DISCORD_API_URL: 'http://127.0.0.1:9999/api/',
      DISCORD_ALLOWED_CHANNELS: '333333333333333333',
      DISCORD_ALLOWED_ROLES: '444444444444444444',
      DISCORD_ADMIN_ROLES: '555555555555555555',
      DISCORD_ADMIN_USERS: '666666666666666666',
      DISCORD_BUTTONS_FOR_REQUESTER_ONLY: 'yes',
      DISCORD_PREVIEWS: 'false',
      DISCORD_MAX_PICTURE_MB: '8',
      DISCORD_MAX_JOBS_PER_USER: '2',
      DISCORD_MAX_JOBS_PER_MINUTE: '10',
      DISCORD_MAX_QUEUED: '50',
    });
    expect(config).toMatchObject({
      applicationId: '123456789012345678',
      guildIds: ['111111111111111111', '222222222222222222'],
      apiUrl: 'http://127.0.0.1:9999/api',
      access: {
        allowedChats: ['333333333333333333'],
        allowedRoles: ['444444444444444444'],
        adminRoles: ['555555555555555555'],
        adminUsers: ['666666666666666666'],
        followUpsForRequesterOnly: true,
      },
      previews: false,
      maxPictureBytes: 8 * 1024 * 1024,
      limits: { perUserConcurrent: 2, perUserPerMinute: 10, globalQueued: 50 },
    });
    expect(config.token.reveal()).toBe(TOKEN);
  });

  it('defaults: global commands, previews on, 20 MB pictures; empty optional keys count as unset', () => {
    const config = discordConfigFromEnv({ ...good, DISCORD_GUILD_IDS: '', DISCORD_API_URL: ' ' });
    expect(config.guildIds).toEqual([]);
    expect(config.apiUrl).toBeUndefined();
    expect(config.previews).toBe(true);
    expect(config.maxPictureBytes).toBe(20 * 1024 * 1024);
    expect(config.access).toEqual({});
  });

  it('a missing or bad value: one line that names the key and never shows the value', () => {
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ DISCORD_APPLICATION_ID: good.DISCORD_APPLICATION_ID }, /^DISCORD_TOKEN is not set/],
      [{ ...good, DISCORD_TOKEN: '  ' }, /^DISCORD_TOKEN is empty/],
      [{ ...good, DISCORD_TOKEN: 'not a token' }, /^DISCORD_TOKEN is not a bot token/],
      [{ DISCORD_TOKEN: TOKEN }, /^DISCORD_APPLICATION_ID is not set/],
      [{ ...good, DISCORD_APPLICATION_ID: 'my-bot' }, /^DISCORD_APPLICATION_ID must be/],
      [{ ...good, DISCORD_GUILD_IDS: '1111, x' }, /^DISCORD_GUILD_IDS must list server/],
      [{ ...good, DISCORD_API_URL: 'ftp://example.com' }, /^DISCORD_API_URL must be an http/],
      [{ ...good, DISCORD_ADMIN_USERS: 'ann' }, /^DISCORD_ADMIN_USERS must list user ids/],
      [{ ...good, DISCORD_PREVIEWS: 'sometimes' }, /^DISCORD_PREVIEWS must be true or false/],
      [{ ...good, DISCORD_MAX_PICTURE_MB: '0' }, /^DISCORD_MAX_PICTURE_MB must be a size/],
      [{ ...good, DISCORD_MAX_JOBS_PER_USER: '1.5' }, /^DISCORD_MAX_JOBS_PER_USER must be a whole/],
    ];
    for (const [env, expected] of cases) {
      const message = problemWith(env);
      expect(message).toMatch(expected);
      expect(message).not.toContain('\n');
      expect(message).not.toContain(TOKEN);
      expect(message).not.toContain('secret-part');
    }
  });

  it('the token never shows when the configuration is printed, inspected or serialised', () => {
    const config = discordConfigFromEnv(good);
    expect(JSON.stringify(config)).not.toContain('secret-part');
    expect(inspect(config, { depth: 5 })).not.toContain('secret-part');
    expect(`${config.token}`).not.toContain('secret-part');
  });
});

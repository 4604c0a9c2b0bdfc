import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  formatProblem,
  loadConfig,
  MASK,
  PLATFORM_SECTIONS,
  type Environment,
} from '@comfyrelay/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { discordSection, DISCORD_NOT_CONFIGURED } from '../src/index.js';

/**
 * The `discord` section: the config file's camelCase keys, the DISCORD_* variables over them,
 * validated into what `discordApp` takes; problems name the key as written and never a token.
 */

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.secret-part_of-the-token';
const APP_ID = '123456789012345678';
const good = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID };

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function load(env: Environment, files: Record<string, string> = {}) {
  const cwd = await mkdtemp(join(tmpdir(), 'comfyrelay-discord-section-'));
  folders.push(cwd);
  for (const [name, text] of Object.entries(files)) await writeFile(join(cwd, name), text);
  return loadConfig({ sections: [...PLATFORM_SECTIONS, discordSection], env, cwd });
}

async function configOf(env: Environment, files?: Record<string, string>) {
  const loaded = await load(env, files);
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  return loaded;
}

async function problemsOf(env: Environment, files?: Record<string, string>): Promise<string[]> {
  const loaded = await load(env, files);
  if (loaded.ok) throw new Error('the configuration was accepted');
  return loaded.problems.map(formatProblem);
}

describe('the discord section', () => {
  it('reads every variable into one typed configuration', async () => {
    const { config } = await configOf({
      ...good,
      DISCORD_GUILD_IDS: '111111111111111111, 222222222222222222',
      DISCORD_API_URL: 'http://127.0.0.1:9999/api/',
      DISCORD_ALLOWED_CHANNELS: '333333333333333333',
      DISCORD_ALLOWED_ROLES: '444444444444444444',
      DISCORD_ADMIN_ROLES: '555555555555555555',
      DISCORD_ADMIN_USERS: '666666666666666666,777777777777777777',
      DISCORD_BUTTONS_FOR_REQUESTER_ONLY: 'yes',
      DISCORD_PREVIEWS: 'off',
      DISCORD_MAX_PICTURE_MB: '8.5',
    });
    const discord = config.discord!;
    expect(discord).toEqual({
      token: expect.anything(),
      applicationId: APP_ID,
      guildIds: ['111111111111111111', '222222222222222222'],
      apiUrl: 'http://127.0.0.1:9999/api',
      allowedChannels: ['333333333333333333'],
      allowedRoles: ['444444444444444444'],
      adminRoles: ['555555555555555555'],
      adminUsers: ['666666666666666666', '777777777777777777'],
      buttonsForRequesterOnly: true,
      previews: false,
      maxPictureMb: 8.5,
    });
    expect(discord.token.reveal()).toBe(TOKEN);
  });

  it('reads the same keys from the config file (JSON or YAML); the environment wins', async () => {
    const yaml = [
      'discord:',
      '  token: from.the-file.token',
      `  applicationId: "${APP_ID}"`,
      '  guildIds: ["111111111111111111"]',
      '  adminUsers: ["666666666666666666"]',
      '  previews: false',
      '  maxPictureMb: 4',
      '',
    ].join('\n');
    const fromYaml = await configOf(
      { DISCORD_TOKEN: TOKEN, DISCORD_MAX_PICTURE_MB: '2' },
      { 'comfyrelay.config.yaml': yaml },
    );
    expect(fromYaml.config.discord).toMatchObject({
      applicationId: APP_ID,
      guildIds: ['111111111111111111'],
      adminUsers: ['666666666666666666'],
      previews: false,
      maxPictureMb: 2,
    });
    expect(fromYaml.config.discord?.token.reveal()).toBe(TOKEN);

    const fromJson = await configOf(
      {},
      {
        'comfyrelay.config.json': JSON.stringify({
          discord: { token: TOKEN, applicationId: APP_ID, buttonsForRequesterOnly: true },
        }),
      },
    );
    expect(fromJson.config.discord?.buttonsForRequesterOnly).toBe(true);
  });

  it('defaults: global commands, Discord’s own API, everyone everywhere, previews on, 20 MB pictures', async () => {
    const { config } = await configOf({ ...good, DISCORD_GUILD_IDS: '', DISCORD_API_URL: ' ' });
    expect(config.discord).toEqual({
      token: expect.anything(),
      applicationId: APP_ID,
      guildIds: [],
      allowedChannels: [],
      allowedRoles: [],
      adminRoles: [],
      adminUsers: [],
      buttonsForRequesterOnly: false,
      previews: true,
      maxPictureMb: 20,
    });
  });

  it('is absent when none of its keys is set; once one is, the missing ones are named', async () => {
    expect((await configOf({})).config.discord).toBeUndefined();
    expect(await problemsOf({ DISCORD_GUILD_IDS: '111111111111111111' })).toEqual([
      "discord.token: is not set (DISCORD_TOKEN); copy the bot token from your application's Bot page in the Discord Developer Portal",
      'discord.applicationId: is not set (DISCORD_APPLICATION_ID); copy the application id from General Information in the Discord Developer Portal',
    ]);
    expect(
      await problemsOf({}, { 'comfyrelay.config.json': JSON.stringify({ discord: {} }) }),
    ).toHaveLength(2);
    expect(DISCORD_NOT_CONFIGURED).toMatch(/^DISCORD_TOKEN is not set; /);
  });

  it('says what is wrong with each bad value, by the key as written and the variable it came from', async () => {
    expect(
      await problemsOf({
        DISCORD_TOKEN: 'not a token',
        DISCORD_APPLICATION_ID: 'abc',
        DISCORD_GUILD_IDS: '111111111111111111, x',
        DISCORD_API_URL: 'ftp://example.com',
        DISCORD_ALLOWED_CHANNELS: '#general',
        DISCORD_ALLOWED_ROLES: '12',
        DISCORD_ADMIN_ROLES: 'admins',
        DISCORD_ADMIN_USERS: 'ann',
        DISCORD_BUTTONS_FOR_REQUESTER_ONLY: 'only-them',
        DISCORD_PREVIEWS: 'sometimes',
        DISCORD_MAX_PICTURE_MB: '0',
      }),
    ).toEqual([
      'discord.token (from DISCORD_TOKEN): is not a bot token (three parts separated by dots, as the Developer Portal shows it)',
      "discord.applicationId (from DISCORD_APPLICATION_ID): must be the application id from the Developer Portal (17 to 20 digits), got 'abc'",
      "discord.guildIds[1] (from DISCORD_GUILD_IDS): must be a server (guild) id (17 to 20 digits), got 'x'",
      "discord.apiUrl (from DISCORD_API_URL): must be an http(s) address, such as https://discord.com/api, got 'ftp://example.com'",
      "discord.allowedChannels[0] (from DISCORD_ALLOWED_CHANNELS): must be a channel id (17 to 20 digits), got '#general'",
      "discord.allowedRoles[0] (from DISCORD_ALLOWED_ROLES): must be a role id (17 to 20 digits), got '12'",
      "discord.adminRoles[0] (from DISCORD_ADMIN_ROLES): must be a role id (17 to 20 digits), got 'admins'",
      "discord.adminUsers[0] (from DISCORD_ADMIN_USERS): must be a user id (17 to 20 digits), got 'ann'",
      "discord.buttonsForRequesterOnly (from DISCORD_BUTTONS_FOR_REQUESTER_ONLY): expected true or false, got 'only-them'",
      "discord.previews (from DISCORD_PREVIEWS): expected true or false, got 'sometimes'",
      'discord.maxPictureMb (from DISCORD_MAX_PICTURE_MB): must be a size in megabytes greater than 0, got 0',
    ]);
  });

  it('in the file: ids written as bare numbers (rounded by YAML and JSON) and unknown keys', async () => {
    const yaml = [
      'discord:',
      '  token: a.b.c',
      '  applicationId: 123456789012345678',
      '  guildIds: [111111111111111111]',
      '  guildIDs: []',
      '  maxPictureMb: big',
      '',
    ].join('\n');
    expect(await problemsOf({}, { 'comfyrelay.config.yaml': yaml })).toEqual([
      'discord.applicationId: write the application id from the Developer Portal in quotes, such as "123456789012345678": as a bare number it loses its last digits, got 123456789012345680',
      'discord.guildIds[0]: write a server (guild) id in quotes, such as "123456789012345678": as a bare number it loses its last digits, got 111111111111111100',
      "discord.maxPictureMb: must be a size in megabytes greater than 0, got 'big'",
      'discord.guildIDs: unknown key; did you mean guildIds?',
    ]);
  });

  it('the per-bot limits of earlier builds are refused with the relay-wide key that replaced them', async () => {
    expect(
      await problemsOf({
        ...good,
        DISCORD_MAX_JOBS_PER_USER: '2',
        DISCORD_MAX_JOBS_PER_MINUTE: '10',
        DISCORD_MAX_QUEUED: '50',
      }),
    ).toEqual([
      "discord.maxJobsPerUser (from DISCORD_MAX_JOBS_PER_USER): is no longer read: limits are the same for every frontend now; set limits.perUserConcurrent (COMFYRELAY_MAX_JOBS_PER_USER) instead, got '2'",
      "discord.maxJobsPerMinute (from DISCORD_MAX_JOBS_PER_MINUTE): is no longer read: limits are the same for every frontend now; set limits.perUserPerMinute (COMFYRELAY_MAX_JOBS_PER_MINUTE) instead, got '10'",
      "discord.maxQueued (from DISCORD_MAX_QUEUED): is no longer read: limits are the same for every frontend now; set limits.globalQueued (COMFYRELAY_MAX_QUEUED) instead, got '50'",
    ]);
    const relayWide = await configOf({ ...good, COMFYRELAY_MAX_JOBS_PER_USER: '2' });
    expect(relayWide.config.limits.perUserConcurrent).toBe(2);
  });

  it('never shows the token: not in a problem, the effective config, the printed config; the logger is given it', async () => {
    for (const bad of ['not a token', `${TOKEN}.extra part`, ' .. ']) {
      const problems = await problemsOf({ ...good, DISCORD_TOKEN: bad });
      expect(problems).toEqual([
        'discord.token (from DISCORD_TOKEN): is not a bot token (three parts separated by dots, as the Developer Portal shows it)',
      ]);
    }
    const yaml = `discord:\n  token: 12345\n  applicationId: "${APP_ID}"\n`;
    expect(await problemsOf({}, { 'comfyrelay.config.yaml': yaml })).toEqual([
      'discord.token: expected text',
    ]);

    const loaded = await configOf(good);
    expect(loaded.effective['discord']).toMatchObject({ token: MASK, applicationId: APP_ID });
    expect(JSON.stringify(loaded.effective)).not.toContain('secret-part');
    expect(loaded.secrets).toContain(TOKEN);
    const discord = loaded.config.discord!;
    expect(JSON.stringify(discord)).not.toContain('secret-part');
    expect(inspect(discord, { depth: 5 })).not.toContain('secret-part');
    expect(`${String(discord.token)}`).not.toContain('secret-part');
  });
});

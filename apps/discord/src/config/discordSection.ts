import { defineSection } from '@comfyrelay/platform';
import { z } from 'zod';
import { BotToken } from './BotToken.js';
import type { DiscordConfig } from './DiscordConfig.js';

const SNOWFLAKE = /^\d{17,20}$/;
const TOKEN = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const DEFAULT_MAX_PICTURE_MB = 20;

/**
 * A Discord id, as text: JSON and YAML read a bare 123456789012345678 as a number and change its
 * last digits, so a number is refused with the way to write it.
 */
const snowflake = (what: string, missing?: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? missing
          : typeof issue.input === 'number'
            ? `write ${what} in quotes, such as "123456789012345678": as a bare number it loses its last digits`
            : undefined,
    })
    .regex(SNOWFLAKE, { error: `must be ${what} (17 to 20 digits)` });

const ids = (what: string) => z.array(snowflake(what)).default([]);

/** A key of earlier builds: limits are the relay's now, the same for every frontend. */
const replacedBy = (key: string, variable: string) =>
  z
    .never({
      error: `is no longer read: limits are the same for every frontend now; set limits.${key} (${variable}) instead`,
    })
    .optional();

const schema = z
  .strictObject({
    token: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? "is not set (DISCORD_TOKEN); copy the bot token from your application's Bot page in the Discord Developer Portal"
            : undefined,
      })
      .regex(TOKEN, {
        error:
          'is not a bot token (three parts separated by dots, as the Developer Portal shows it)',
      }),
    applicationId: snowflake(
      'the application id from the Developer Portal',
      'is not set (DISCORD_APPLICATION_ID); copy the application id from General Information in the Discord Developer Portal',
    ),
    guildIds: ids('a server (guild) id'),
    apiUrl: z
      .url({
        protocol: /^https?$/,
        error: 'must be an http(s) address, such as https://discord.com/api',
      })
      .optional(),
    allowedChannels: ids('a channel id'),
    allowedRoles: ids('a role id'),
    adminRoles: ids('a role id'),
    adminUsers: ids('a user id'),
    buttonsForRequesterOnly: z.boolean().default(false),
    previews: z.boolean().default(true),
    maxPictureMb: z
      .number({ error: 'must be a size in megabytes greater than 0' })
      .positive({ error: 'must be a size in megabytes greater than 0' })
      .default(DEFAULT_MAX_PICTURE_MB),
    maxJobsPerUser: replacedBy('perUserConcurrent', 'COMFYRELAY_MAX_JOBS_PER_USER'),
    maxJobsPerMinute: replacedBy('perUserPerMinute', 'COMFYRELAY_MAX_JOBS_PER_MINUTE'),
    maxQueued: replacedBy('globalQueued', 'COMFYRELAY_MAX_QUEUED'),
  })
  // The keys of earlier builds never get here (they are refused above).
  .transform((given): DiscordConfig => ({
    token: new BotToken(given.token),
    applicationId: given.applicationId,
    guildIds: given.guildIds,
    ...(given.apiUrl !== undefined ? { apiUrl: given.apiUrl.replace(/\/+$/, '') } : {}),
    allowedChannels: given.allowedChannels,
    allowedRoles: given.allowedRoles,
    adminRoles: given.adminRoles,
    adminUsers: given.adminUsers,
    buttonsForRequesterOnly: given.buttonsForRequesterOnly,
    previews: given.previews,
    maxPictureMb: given.maxPictureMb,
  }))
  .optional();

/**
 * The `discord` key of the configuration (comfyrelay.config.json or .yaml) and the environment
 * variables that set it; its value is what `discordApp` takes. Absent when none of its keys is
 * set: the bot then does not run.
 */
export const discordSection = defineSection({
  key: 'discord',
  schema,
  env: {
    DISCORD_TOKEN: 'token',
    DISCORD_APPLICATION_ID: 'applicationId',
    DISCORD_GUILD_IDS: { path: 'guildIds', read: 'list' },
    DISCORD_API_URL: 'apiUrl',
    DISCORD_ALLOWED_CHANNELS: { path: 'allowedChannels', read: 'list' },
    DISCORD_ALLOWED_ROLES: { path: 'allowedRoles', read: 'list' },
    DISCORD_ADMIN_ROLES: { path: 'adminRoles', read: 'list' },
    DISCORD_ADMIN_USERS: { path: 'adminUsers', read: 'list' },
    DISCORD_BUTTONS_FOR_REQUESTER_ONLY: { path: 'buttonsForRequesterOnly', read: 'flag' },
    DISCORD_PREVIEWS: { path: 'previews', read: 'flag' },
    DISCORD_MAX_PICTURE_MB: { path: 'maxPictureMb', read: 'number' },
    DISCORD_MAX_JOBS_PER_USER: 'maxJobsPerUser',
    DISCORD_MAX_JOBS_PER_MINUTE: 'maxJobsPerMinute',
    DISCORD_MAX_QUEUED: 'maxQueued',
  },
  secrets: ['token'],
});

/** Why the Discord bot cannot run when its section is absent: one line. */
export const DISCORD_NOT_CONFIGURED =
  'DISCORD_TOKEN is not set; give it the bot token and DISCORD_APPLICATION_ID the application id from the Discord Developer Portal (or set discord.token and discord.applicationId in the config file)';

import type { AccessOptions } from '@comfyrelay/chat';
import { z } from 'zod';
import { BotToken } from './BotToken.js';
import { ConfigError } from './ConfigError.js';

/** Everything the Discord bot is configured with, read and checked once at start-up. */
export interface DiscordConfig {
  token: BotToken;
  applicationId: string;
  /** Register commands in these servers (instant); empty: globally. */
  guildIds: readonly string[];
  /** The REST base (discord.js's `rest.api`); unset: Discord's own. */
  apiUrl?: string;
  access: AccessOptions;
  /** Show ComfyUI's previews in progress messages. */
  previews: boolean;
  /** The largest picture a user may give a workflow. */
  maxPictureBytes: number;
  /** Per-user limits for the relay's scheduler (`relay.scheduling.limits`). */
  limits: { perUserConcurrent?: number; perUserPerMinute?: number; globalQueued?: number };
}

export type Environment = Readonly<Record<string, string | undefined>>;

const TOKEN = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const SNOWFLAKE = /^\d{17,20}$/;
const MEGABYTE = 1024 * 1024;
const DEFAULT_MAX_PICTURE_MB = 20;

const idList = (what: string) =>
  z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()))
    .pipe(
      z.array(
        z.string().regex(SNOWFLAKE, {
          error: `must list ${what} ids (numbers of 17 to 20 digits) separated by commas`,
        }),
      ),
    );

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no'], {
  error: 'must be true or false',
});

const positive = (what: string, integer: boolean) =>
  z
    .string()
    .regex(integer ? /^\d+$/ : /^\d+(\.\d+)?$/, { error: `must be ${what}` })
    .transform(Number)
    .pipe(z.number().positive({ error: `must be ${what}` }));

/**
 * The bot's settings from environment variables (or a config file's keys of the same names).
 * A missing or bad value throws a {@link ConfigError} naming the key; no message repeats a value.
 */
export function discordConfigFromEnv(env: Environment): DiscordConfig {
  const token = required(
    env,
    'DISCORD_TOKEN',
    z.string().regex(TOKEN, {
      error: 'is not a bot token (three parts separated by dots, as the Developer Portal shows it)',
    }),
    "copy the bot token from the Developer Portal (your application's Bot page)",
  );
  const applicationId = required(
    env,
    'DISCORD_APPLICATION_ID',
    z.string().regex(SNOWFLAKE, {
      error: 'must be the application id from the Developer Portal (17 to 20 digits)',
    }),
    'copy the application id from the Developer Portal (General Information)',
  );
  const apiUrl = optional(
    env,
    'DISCORD_API_URL',
    z.url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL, such as https://discord.com/api',
    }),
  );
  const maxPictureMb = optional(
    env,
    'DISCORD_MAX_PICTURE_MB',
    positive('a size in megabytes greater than 0', false),
  );
  const config: DiscordConfig = {
    token: new BotToken(token),
    applicationId,
    guildIds: optional(env, 'DISCORD_GUILD_IDS', idList('server (guild)')) ?? [],
    access: accessFrom(env),
    previews: isTrue(optional(env, 'DISCORD_PREVIEWS', flag) ?? 'true'),
    maxPictureBytes: Math.round((maxPictureMb ?? DEFAULT_MAX_PICTURE_MB) * MEGABYTE),
    limits: limitsFrom(env),
  };
  if (apiUrl !== undefined) config.apiUrl = apiUrl.replace(/\/+$/, '');
  return config;
}

function accessFrom(env: Environment): AccessOptions {
  const access: AccessOptions = {};
  const channels = optional(env, 'DISCORD_ALLOWED_CHANNELS', idList('channel'));
  const roles = optional(env, 'DISCORD_ALLOWED_ROLES', idList('role'));
  const adminRoles = optional(env, 'DISCORD_ADMIN_ROLES', idList('role'));
  const adminUsers = optional(env, 'DISCORD_ADMIN_USERS', idList('user'));
  const requesterOnly = optional(env, 'DISCORD_BUTTONS_FOR_REQUESTER_ONLY', flag);
  if (channels) access.allowedChats = channels;
  if (roles) access.allowedRoles = roles;
  if (adminRoles) access.adminRoles = adminRoles;
  if (adminUsers) access.adminUsers = adminUsers;
  if (requesterOnly !== undefined) access.followUpsForRequesterOnly = isTrue(requesterOnly);
  return access;
}

function limitsFrom(env: Environment): DiscordConfig['limits'] {
  const count = positive('a whole number greater than 0', true);
  const limits: DiscordConfig['limits'] = {};
  const perUser = optional(env, 'DISCORD_MAX_JOBS_PER_USER', count);
  const perMinute = optional(env, 'DISCORD_MAX_JOBS_PER_MINUTE', count);
  const queued = optional(env, 'DISCORD_MAX_QUEUED', count);
  if (perUser !== undefined) limits.perUserConcurrent = perUser;
  if (perMinute !== undefined) limits.perUserPerMinute = perMinute;
  if (queued !== undefined) limits.globalQueued = queued;
  return limits;
}

function required<T>(env: Environment, key: string, schema: z.ZodType<T>, hint: string): T {
  const raw = env[key];
  if (raw === undefined) throw new ConfigError(key, `is not set; ${hint}`);
  if (raw.trim() === '') throw new ConfigError(key, `is empty; ${hint}`);
  return parse(key, raw, schema);
}

/** An unset or empty optional key is left out (an empty shell variable means "not given"). */
function optional<T>(env: Environment, key: string, schema: z.ZodType<T>): T | undefined {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  return parse(key, raw, schema);
}

function parse<T>(key: string, raw: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(raw.trim());
  if (result.success) return result.data;
  throw new ConfigError(key, result.error.issues[0]?.message ?? 'is not valid');
}

function isTrue(value: string): boolean {
  return value === 'true' || value === '1' || value === 'yes';
}

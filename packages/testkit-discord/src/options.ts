import type { BucketLimits } from './rate-limits/bucket-limits.js';

export interface FakeUserInput {
  id?: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export type ChannelKind = 'text' | 'voice' | 'category' | 'announcement' | 'forum';

export interface FakeChannelInput {
  id?: string;
  name: string;
  /** 'text' by default. */
  type?: ChannelKind;
  /** Name or id of a category channel of the same guild. */
  parent?: string;
  topic?: string;
  nsfw?: boolean;
}

export interface FakeRoleInput {
  id?: string;
  name: string;
  permissions?: bigint;
  color?: number;
}

export interface FakeMemberInput {
  user: FakeUserInput;
  /** Role names or ids of the same guild. */
  roles?: string[];
  nick?: string;
}

export interface FakeGuildInput {
  id?: string;
  name?: string;
  /** A member's user id or username; the first member by default. */
  owner?: string;
  /** One text channel 'general' by default. */
  channels?: FakeChannelInput[];
  roles?: FakeRoleInput[];
  /** The bot is added on its own. One user 'tester' by default. */
  members?: FakeMemberInput[];
  /** Per-file upload limit in this guild; the fake-wide `uploadLimitBytes` by default. */
  uploadLimitBytes?: number;
  preferredLocale?: string;
}

export interface FakeDiscordOptions {
  host?: string;
  /** 0 (a free port) by default. */
  port?: number;
  token?: string;
  /** The bot user's id by default, as for every application made since 2019. */
  applicationId?: string;
  botUser?: Partial<FakeUserInput>;
  guilds?: FakeGuildInput[];
  /** 41250 ms, Discord's usual value, by default. */
  heartbeatIntervalMs?: number;
  /** How long after an interaction is created its first callback is accepted: 3000 ms. */
  interactionAckWindowMs?: number;
  /** How long the interaction token works on webhook routes: 15 minutes. */
  interactionTokenLifetimeMs?: number;
  /** Per-file upload limit: 10 MiB, Discord's default for guilds without boosts. */
  uploadLimitBytes?: number;
  /** Overrides of per-route bucket limits, by bucket name (see README). */
  rateLimits?: Partial<BucketLimits>;
  /** Requests per second per bot token over all routes that need the token; 50. 0 turns it off. */
  globalRateLimitPerSecond?: number;
  /** Injected slash commands and autocompletes must name a registered command: true. */
  requireRegisteredCommands?: boolean;
  /** Permissions the bot's managed role grants (bitfield). */
  botPermissions?: bigint;
  /**
   * Which privileged intents (GuildMembers 1<<1, GuildPresences 1<<8, MessageContent 1<<15) the
   * application may use; all of them by default. Asking for another closes the gateway with 4014.
   */
  privilegedIntents?: number;
}

export const DEFAULT_TOKEN = 'ZmFrZS1ib3Q.fake-discord.testkit-token';
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 41_250;
export const DEFAULT_ACK_WINDOW_MS = 3_000;
export const DEFAULT_TOKEN_LIFETIME_MS = 15 * 60_000;
export const DEFAULT_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
export const DEFAULT_GLOBAL_RATE_LIMIT = 50;
/** Bodies above this are refused before any route-specific check. */
export const MAX_REQUEST_BODY_BYTES = 512 * 1024 * 1024;

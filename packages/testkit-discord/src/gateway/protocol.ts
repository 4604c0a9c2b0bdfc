export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
  RequestSoundboardSounds: 31,
} as const;

export const CloseCode = {
  UnknownError: 4000,
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidSeq: 4007,
  RateLimited: 4008,
  SessionTimedOut: 4009,
  InvalidShard: 4010,
  InvalidApiVersion: 4012,
  InvalidIntents: 4013,
  DisallowedIntents: 4014,
} as const;

export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

export const PRIVILEGED_INTENTS =
  Intent.GuildMembers | Intent.GuildPresences | Intent.MessageContent;
/** Intents above bit 25 do not exist. */
export const KNOWN_INTENTS = (1 << 26) - 1;

export interface GatewayPayload {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/** The intent without which Discord does not send `event` (undefined: always sent). */
export function intentFor(event: string, guildId: string | null): number | undefined {
  if (event === 'GUILD_MEMBERS_CHUNK') return undefined;
  if (event.startsWith('GUILD_MEMBER_')) return Intent.GuildMembers;
  if (event.startsWith('GUILD_')) return Intent.Guilds;
  if (event === 'CHANNEL_CREATE' || event === 'CHANNEL_UPDATE' || event === 'CHANNEL_DELETE') {
    return Intent.Guilds;
  }
  if (event.startsWith('MESSAGE_') && !event.startsWith('MESSAGE_REACTION')) {
    return guildId === null ? Intent.DirectMessages : Intent.GuildMessages;
  }
  return undefined;
}

/** Discord's formula: which shard a guild's events go to. */
export function shardOf(guildId: string | null, shardCount: number): number {
  if (guildId === null || shardCount <= 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

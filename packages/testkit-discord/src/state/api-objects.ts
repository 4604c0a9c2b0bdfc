import { discordTimestamp } from '../util/discord-time.js';
import type { FakeChannel, FakeGuild, FakeMember, FakeRole, FakeUser } from './directory-types.js';
import type { GuildDirectory } from './guild-directory.js';

export type ApiObject = Record<string, unknown>;

export function apiUser(user: FakeUser): ApiObject {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
    public_flags: 0,
    ...(user.bot ? { bot: true } : {}),
  };
}

export function apiMember(member: FakeMember): ApiObject {
  return {
    user: apiUser(member.user),
    roles: member.roleIds,
    nick: member.nick,
    avatar: null,
    banner: null,
    joined_at: discordTimestamp(member.joinedAt),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

/** The member as an interaction carries it: with its guild-level permissions. */
export function apiInteractionMember(
  directory: GuildDirectory,
  guild: FakeGuild,
  member: FakeMember,
): ApiObject {
  return {
    ...apiMember(member),
    permissions: directory.memberPermissions(guild, member).toString(),
  };
}

export function apiRole(role: FakeRole): ApiObject {
  return {
    id: role.id,
    name: role.name,
    description: null,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.botId !== null,
    mentionable: false,
    flags: 0,
    ...(role.botId !== null ? { tags: { bot_id: role.botId } } : {}),
  };
}

export function apiChannel(channel: FakeChannel, options: { withGuildId: boolean }): ApiObject {
  const textual = channel.kind === 'text' || channel.kind === 'announcement';
  return {
    id: channel.id,
    type: channel.type,
    ...(options.withGuildId ? { guild_id: channel.guildId } : {}),
    name: channel.name,
    position: channel.position,
    parent_id: channel.parentId,
    permission_overwrites: [],
    nsfw: channel.nsfw,
    flags: 0,
    ...(textual ? { topic: channel.topic, last_message_id: null, rate_limit_per_user: 0 } : {}),
    ...(channel.kind === 'voice'
      ? { bitrate: 64_000, user_limit: 0, rtc_region: null, last_message_id: null }
      : {}),
  };
}

/** The guild as GUILD_CREATE carries it, with everything discord.js caches. */
export function apiGuildCreate(guild: FakeGuild, bot: FakeUser): ApiObject {
  const botMember = guild.members.find((member) => member.user.id === bot.id);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    system_channel_id: guild.channels.find((c) => c.kind === 'text')?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    preferred_locale: guild.preferredLocale,
    features: [],
    application_id: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    widget_enabled: false,
    incidents_data: null,
    joined_at: botMember ? discordTimestamp(botMember.joinedAt) : discordTimestamp(Date.now()),
    large: false,
    unavailable: false,
    lazy: true,
    member_count: guild.members.length,
    roles: guild.roles.map(apiRole),
    channels: guild.channels.map((channel) => apiChannel(channel, { withGuildId: false })),
    members: guild.members.map(apiMember),
    threads: [],
    presences: [],
    voice_states: [],
    emojis: [],
    stickers: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
  };
}

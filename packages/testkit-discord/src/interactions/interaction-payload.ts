import type { FakeState } from '../fake-state.js';
import { apiChannel, apiInteractionMember, type ApiObject } from '../state/api-objects.js';
import type { FakeChannel, FakeGuild, FakeMember, FakeUser } from '../state/directory-types.js';
import type { Place } from './interaction-inputs.js';

export interface ResolvedPlace {
  guild: FakeGuild;
  channel: FakeChannel;
  user: FakeUser;
  member: FakeMember;
  locale: string;
}

/** Where an injected interaction happens and who does it, with the documented defaults. */
export function resolvePlace(state: FakeState, place: Place): ResolvedPlace {
  const { directory } = state;
  let guild = place.guildId !== undefined ? directory.guild(place.guildId) : undefined;
  const channel =
    place.channelId !== undefined
      ? directory.channel(place.channelId, guild?.id)
      : (guild ?? directory.guild()).channels.find((c) => c.kind === 'text');
  if (!channel) throw new Error(`fake Discord: guild ${guild?.name ?? ''} has no text channel`);
  guild ??= directory.guildOfChannel(channel);
  const user =
    place.user !== undefined
      ? directory.ensureUser(place.user)
      : guild.members.find((m) => m.user.id !== directory.bot.id)?.user;
  if (!user) throw new Error(`fake Discord: guild ${guild.name} has no member to act as the user`);
  return {
    guild,
    channel,
    user,
    member: directory.ensureMember(guild, user),
    locale: place.locale ?? 'en-US',
  };
}

/** The fields every guild interaction carries, around its type-specific `data`. */
export function interactionEnvelope(
  state: FakeState,
  place: ResolvedPlace,
  ids: { id: string; token: string; type: number },
): ApiObject {
  const { directory, config } = state;
  const memberPermissions = directory.memberPermissions(place.guild, place.member).toString();
  const botMember = directory.ensureMember(place.guild, directory.bot);
  return {
    id: ids.id,
    application_id: config.applicationId,
    type: ids.type,
    token: ids.token,
    version: 1,
    guild_id: place.guild.id,
    guild: { id: place.guild.id, locale: place.guild.preferredLocale, features: [] },
    channel_id: place.channel.id,
    channel: {
      ...apiChannel(place.channel, { withGuildId: true }),
      permissions: memberPermissions,
    },
    member: apiInteractionMember(directory, place.guild, place.member),
    app_permissions: directory.memberPermissions(place.guild, botMember).toString(),
    locale: place.locale,
    guild_locale: place.guild.preferredLocale,
    entitlements: [],
    authorizing_integration_owners: { '0': place.guild.id },
    context: 0,
    attachment_size_limit: place.guild.uploadLimitBytes,
  };
}

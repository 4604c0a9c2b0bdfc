import type { Requester } from '@comfyrelay/chat';
import type { BaseInteraction } from 'discord.js';
import type { DiscordTarget } from '../adapter/discordRefs.js';

/** Who acted, with their server roles, as chat's access rules and origins need them. */
export function requesterOf(interaction: BaseInteraction): Requester {
  const member = interaction.member;
  const roles = !member
    ? []
    : Array.isArray(member.roles)
      ? member.roles
      : [...member.roles.cache.keys()];
  const name =
    member && 'displayName' in member && typeof member.displayName === 'string'
      ? member.displayName
      : interaction.user.displayName;
  return {
    platform: 'discord',
    userId: interaction.user.id,
    displayName: `@${name}`,
    chatId: interaction.channelId ?? '',
    roles,
    locale: interaction.locale,
  };
}

/** The channel to answer in, with what it accepts as uploads. */
export function targetOf(interaction: BaseInteraction): DiscordTarget {
  const target: DiscordTarget = { chatId: interaction.channelId ?? '' };
  const limit = interaction.attachmentSizeLimit;
  if (typeof limit === 'number' && limit > 0) target.uploadLimitBytes = limit;
  return target;
}

import { OAuth2Scopes, PermissionFlagsBits } from 'discord.js';

/**
 * What the bot needs in a channel: to see it, to post (results of long jobs are channel messages
 * replying to the request, also in threads), to attach the pictures and videos, and to read the
 * history its replies refer to. Editing and deleting its own messages needs nothing more.
 */
export const DISCORD_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory;

/** The scopes of the invite: the bot user, and its slash commands. */
export const DISCORD_BOT_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

/** The OAuth2 address that adds the application's bot to a server, with what it needs. */
export function discordInviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: DISCORD_BOT_SCOPES.join(' '),
    permissions: DISCORD_BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query.toString()}`;
}

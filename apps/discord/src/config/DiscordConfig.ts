import type { BotToken } from './BotToken.js';

/**
 * Everything the Discord bot is configured with: the `discord` section of the configuration
 * once validated ({@link discordSection}), in the keys the operator writes.
 */
export interface DiscordConfig {
  token: BotToken;
  applicationId: string;
  /** Register commands in these servers (instant); empty: globally. */
  guildIds: readonly string[];
  /** The REST base (discord.js's `rest.api`); unset: Discord's own. */
  apiUrl?: string;
  /** Channels the bot answers in; empty: every channel it can see. */
  allowedChannels: readonly string[];
  /** Roles that may generate; empty: everyone. */
  allowedRoles: readonly string[];
  /** Admins by role and by user: they go first, have no limits, may cancel anyone's job. */
  adminRoles: readonly string[];
  adminUsers: readonly string[];
  /** Only the requester (and admins) may press a result's buttons. */
  buttonsForRequesterOnly: boolean;
  /** Show ComfyUI's previews in progress messages. */
  previews: boolean;
  /** The largest picture a user may give a workflow, in megabytes. */
  maxPictureMb: number;
}

import type { ChannelKind } from '../options.js';

export interface FakeUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface FakeChannel {
  id: string;
  guildId: string;
  name: string;
  kind: ChannelKind;
  /** Discord's channel type number. */
  type: number;
  parentId: string | null;
  topic: string | null;
  nsfw: boolean;
  position: number;
}

export interface FakeRole {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  color: number;
  position: number;
  /** Set on the bot's own managed role. */
  botId: string | null;
}

export interface FakeMember {
  user: FakeUser;
  roleIds: string[];
  nick: string | null;
  joinedAt: number;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: FakeChannel[];
  roles: FakeRole[];
  members: FakeMember[];
  uploadLimitBytes: number;
  preferredLocale: string;
}

export const CHANNEL_TYPES: Record<ChannelKind, number> = {
  text: 0,
  voice: 2,
  category: 4,
  announcement: 5,
  forum: 15,
};

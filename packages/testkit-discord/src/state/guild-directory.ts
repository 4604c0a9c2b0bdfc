import type { FakeGuildInput, FakeMemberInput, FakeUserInput } from '../options.js';
import { DEFAULT_EVERYONE_PERMISSIONS } from '../util/permissions.js';
import { nextSnowflake } from '../util/snowflake.js';
import {
  CHANNEL_TYPES,
  type FakeChannel,
  type FakeGuild,
  type FakeMember,
  type FakeRole,
  type FakeUser,
} from './directory-types.js';

const ADMINISTRATOR = 1n << 3n;

export interface DirectorySettings {
  bot: FakeUser;
  botPermissions: bigint;
  uploadLimitBytes: number;
}

/** The guilds, channels, roles, members and users the fake knows, by id or by name. */
export class GuildDirectory {
  readonly guilds: FakeGuild[];
  private readonly users = new Map<string, FakeUser>();

  constructor(
    inputs: FakeGuildInput[] | undefined,
    private readonly settings: DirectorySettings,
  ) {
    this.users.set(settings.bot.id, settings.bot);
    this.guilds = (inputs ?? [{}]).map((input) => this.buildGuild(input));
  }

  get bot(): FakeUser {
    return this.settings.bot;
  }

  /** By id or name; the first guild when `ref` is omitted. */
  guild(ref?: string): FakeGuild {
    const guild = ref === undefined ? this.guilds[0] : this.findGuild(ref);
    if (!guild) throw new Error(`fake Discord has no guild '${ref ?? '(first)'}'`);
    return guild;
  }

  guildById(id: string): FakeGuild | undefined {
    return this.guilds.find((guild) => guild.id === id);
  }

  findGuild(ref: string): FakeGuild | undefined {
    return this.guilds.find((guild) => guild.id === ref) ?? this.guilds.find((g) => g.name === ref);
  }

  /** By id, or by name within `guildRef` (the first guild by default). */
  channel(ref: string, guildRef?: string): FakeChannel {
    const byId = this.findChannel(ref);
    if (byId) return byId;
    const channel = this.guild(guildRef).channels.find((c) => c.name === ref);
    if (!channel) throw new Error(`fake Discord has no channel '${ref}'`);
    return channel;
  }

  findChannel(id: string): FakeChannel | undefined {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === id);
      if (channel) return channel;
    }
    return undefined;
  }

  guildOfChannel(channel: FakeChannel): FakeGuild {
    return this.guild(channel.guildId);
  }

  userById(id: string): FakeUser | undefined {
    return this.users.get(id);
  }

  /** By id or username. */
  findUser(ref: string): FakeUser | undefined {
    return this.users.get(ref) ?? [...this.users.values()].find((user) => user.username === ref);
  }

  /** A known user by id/username, or a new one registered from `input`. */
  ensureUser(input: string | FakeUserInput | FakeUser): FakeUser {
    if (typeof input === 'string') {
      const known = this.findUser(input);
      if (!known) throw new Error(`fake Discord has no user '${input}'`);
      return known;
    }
    const known = input.id !== undefined ? this.users.get(input.id) : this.findUser(input.username);
    if (known) return known;
    const user: FakeUser = {
      id: input.id ?? nextSnowflake(),
      username: input.username,
      globalName: input.globalName ?? null,
      bot: input.bot ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** The member for `user` in `guild`, added without roles if the user was not a member yet. */
  ensureMember(guild: FakeGuild, user: FakeUser): FakeMember {
    const existing = guild.members.find((member) => member.user.id === user.id);
    if (existing) return existing;
    const member: FakeMember = { user, roleIds: [], nick: null, joinedAt: Date.now() };
    guild.members.push(member);
    return member;
  }

  /** Guild-level permissions: @everyone and the member's roles; the owner gets them all. */
  memberPermissions(guild: FakeGuild, member: FakeMember): bigint {
    let permissions = guild.roles.find((role) => role.id === guild.id)?.permissions ?? 0n;
    for (const roleId of member.roleIds) {
      permissions |= guild.roles.find((role) => role.id === roleId)?.permissions ?? 0n;
    }
    if (guild.ownerId === member.user.id || (permissions & ADMINISTRATOR) !== 0n) {
      return (1n << 51n) - 1n;
    }
    return permissions;
  }

  private buildGuild(input: FakeGuildInput): FakeGuild {
    const id = input.id ?? nextSnowflake();
    const guild: FakeGuild = {
      id,
      name: input.name ?? 'Test Guild',
      ownerId: '',
      channels: [],
      roles: [],
      members: [],
      uploadLimitBytes: input.uploadLimitBytes ?? this.settings.uploadLimitBytes,
      preferredLocale: input.preferredLocale ?? 'en-US',
    };
    guild.roles.push(
      role(guild, { id, name: '@everyone', permissions: DEFAULT_EVERYONE_PERMISSIONS }),
    );
    for (const roleInput of input.roles ?? []) guild.roles.push(role(guild, roleInput));
    const botRole = role(guild, {
      name: this.settings.bot.username,
      permissions: this.settings.botPermissions,
    });
    botRole.botId = this.settings.bot.id;
    guild.roles.push(botRole);
    this.addChannels(guild, input);
    for (const memberInput of input.members ?? [{ user: { username: 'tester' } }]) {
      guild.members.push(this.buildMember(guild, memberInput));
    }
    guild.members.push({
      user: this.settings.bot,
      roleIds: [botRole.id],
      nick: null,
      joinedAt: Date.now(),
    });
    guild.ownerId = this.resolveOwner(guild, input.owner);
    return guild;
  }

  private addChannels(guild: FakeGuild, input: FakeGuildInput): void {
    const inputs = input.channels ?? [{ name: 'general' }];
    for (const [position, channelInput] of inputs.entries()) {
      const kind = channelInput.type ?? 'text';
      guild.channels.push({
        id: channelInput.id ?? nextSnowflake(),
        guildId: guild.id,
        name: channelInput.name,
        kind,
        type: CHANNEL_TYPES[kind],
        parentId: null,
        topic: channelInput.topic ?? null,
        nsfw: channelInput.nsfw ?? false,
        position,
      });
    }
    for (const [index, channelInput] of inputs.entries()) {
      if (channelInput.parent === undefined) continue;
      const parent = guild.channels.find(
        (c) =>
          c.kind === 'category' && (c.id === channelInput.parent || c.name === channelInput.parent),
      );
      if (!parent)
        throw new Error(`fake Discord: no category '${channelInput.parent}' in ${guild.name}`);
      const channel = guild.channels[index];
      if (channel) channel.parentId = parent.id;
    }
  }

  private buildMember(guild: FakeGuild, input: FakeMemberInput): FakeMember {
    const roleIds = (input.roles ?? []).map((ref) => {
      const found = guild.roles.find((r) => r.id === ref || r.name === ref);
      if (!found) throw new Error(`fake Discord: no role '${ref}' in ${guild.name}`);
      return found.id;
    });
    return {
      user: this.ensureUser(input.user),
      roleIds,
      nick: input.nick ?? null,
      joinedAt: Date.now(),
    };
  }

  private resolveOwner(guild: FakeGuild, ref: string | undefined): string {
    if (ref === undefined) return guild.members[0]?.user.id ?? this.settings.bot.id;
    const owner = guild.members.find((m) => m.user.id === ref || m.user.username === ref);
    if (!owner) throw new Error(`fake Discord: owner '${ref}' is not a member of ${guild.name}`);
    return owner.user.id;
  }
}

function role(
  guild: FakeGuild,
  input: { id?: string; name: string; permissions?: bigint; color?: number },
): FakeRole {
  return {
    id: input.id ?? nextSnowflake(),
    guildId: guild.id,
    name: input.name,
    permissions: input.permissions ?? 0n,
    color: input.color ?? 0,
    position: guild.roles.length,
    botId: null,
  };
}

import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { useDiscordHarness } from './helpers/discord-harness.js';

const discord = useDiscordHarness();

describe('login', () => {
  it('logs in: READY, then the guild with its channels, roles and members is cached', async () => {
    const fake = await discord.start({
      guilds: [
        {
          name: 'Comfy Lab',
          channels: [{ name: 'renders' }, { name: 'chat' }],
          roles: [{ name: 'artists' }],
          members: [{ user: { username: 'alice' }, roles: ['artists'] }],
        },
      ],
    });
    const client = await discord.login(fake);

    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guild().id);
    expect(guild?.name).toBe('Comfy Lab');
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['chat', 'renders']);
    expect(guild?.roles.cache.map((r) => r.name)).toContain('artists');
    expect(
      guild?.members.cache.get(fake.user('alice').id)?.roles.cache.map((r) => r.name),
    ).toContain('artists');
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]?.intents).toBe(client.options.intents.bitfield);
  });

  it('serves the gateway URL and the bot user the way discord.js asks for them', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);

    expect(client.ws.gateway).toBe(`ws://127.0.0.1:${fake.port}/gateway/`);
    expect(fake.requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual([
      'GET /gateway/bot 200',
    ]);
    const me = await client.users.fetch(fake.botUser.id, { force: true });
    expect(me.bot).toBe(true);
    const application = await client.application?.fetch();
    expect(application?.id).toBe(fake.applicationId);
  });
});

describe('guild members', () => {
  it('guild.members.fetch() is answered with GUILD_MEMBERS_CHUNK', async () => {
    const fake = await discord.start({
      guilds: [{ members: [{ user: { username: 'alice' } }, { user: { username: 'bob' } }] }],
    });
    const client = await discord.login(fake, {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
    });
    const guild = client.guilds.cache.get(fake.guild().id);

    const found = await guild?.members.fetch({ query: 'al' });
    const all = await guild?.members.fetch();

    expect(found?.map((m) => m.user.username)).toEqual(['alice']);
    expect(all?.map((m) => m.user.username).sort()).toEqual([
      'alice',
      'bob',
      fake.botUser.username,
    ]);
  });
});

describe('login failures', () => {
  it("a wrong token fails login with discord.js's TokenInvalid error, from GET /gateway/bot", async () => {
    const fake = await discord.start({ token: 'the-right-token' });
    const client = discord.client(fake);

    await expect(client.login('a-wrong-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(fake.requests.map((r) => [r.method, r.route, r.status])).toEqual([
      ['GET', '/gateway/bot', 401],
    ]);
    expect(fake.identifies).toEqual([]);
  });

  it('asking for a privileged intent the application may not use fails login (close 4014)', async () => {
    const fake = await discord.start({ privilegedIntents: 0 });
    const client = discord.client(fake, {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent],
    });

    await expect(client.login(fake.token)).rejects.toThrow('Used disallowed intents');
    expect(fake.identifies).toEqual([]);
  });

  it("REST answers 401 with Discord's body to a wrong token", async () => {
    const fake = await discord.start();
    const response = await fetch(`${fake.apiUrl}/v10/users/@me`, {
      headers: { Authorization: 'Bot nope' },
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });
});

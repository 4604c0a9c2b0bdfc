import { once } from 'node:events';
import { Events, type Client, type Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { FakeDiscord } from '../src/index.js';
import { registerImagine } from './helpers/commands.js';
import { useDiscordHarness } from './helpers/discord-harness.js';
import { RawGateway } from './helpers/raw-gateway.js';

const discord = useDiscordHarness();

/** discord.js spaces IDENTIFYs 5 s apart; tests of re-identifying need not wait for that. */
const noIdentifyThrottle = {
  ws: { buildIdentifyThrottler: async () => ({ waitForIdentify: async () => undefined }) },
};

/** A bot that answers every /imagine with the prompt. */
function answerImagine(client: Client): void {
  client.on(Events.InteractionCreate, async (interaction: Interaction) => {
    if (interaction.isChatInputCommand())
      await interaction.reply(`got ${interaction.options.getString('prompt')}`);
  });
}

async function readyBot(fake: FakeDiscord, options = {}): Promise<Client> {
  await registerImagine(fake, discord.rest(fake));
  const client = await discord.login(fake, options);
  answerImagine(client);
  return client;
}

/** Resolves once discord.js has handled RESUMED (the fake's 'resume' event fires on sending it). */
function clientResumed(client: Client): Promise<unknown> {
  return once(client, Events.ShardResume);
}

async function ask(fake: FakeDiscord, prompt: string): Promise<string> {
  const handle = await fake.slashCommand({ name: 'imagine', options: { prompt } });
  return (await handle.waitForOriginal()).content;
}

describe('gateway resilience with discord.js', () => {
  it('a dropped connection (1006) is RESUMEd without a new IDENTIFY; events sent meanwhile are replayed', async () => {
    const fake = await discord.start();
    await readyBot(fake);
    const closed = fake.nextEvent('gateway-close');
    const resumed = fake.nextEvent('resume');

    expect(fake.dropGateway()).toBe(1);
    expect((await closed).code).toBe(1006);
    const whileAway = await fake.slashCommand({
      name: 'imagine',
      options: { prompt: 'while away' },
    });
    const resume = await resumed;

    expect(resume).toMatchObject({ accepted: true, replayed: 1 });
    expect((await whileAway.waitForOriginal()).content).toBe('got while away');
    expect(await ask(fake, 'after')).toBe('got after');
    expect(fake.identifies).toHaveLength(1);
  });

  it('op 7 RECONNECT: discord.js reconnects and resumes', async () => {
    const fake = await discord.start();
    await readyBot(fake);
    const resumed = fake.nextEvent('resume');

    expect(fake.requestReconnect()).toBe(1);

    expect(await resumed).toMatchObject({ accepted: true });
    expect(await ask(fake, 'still there')).toBe('got still there');
    expect(fake.identifies).toHaveLength(1);
  });

  it('a close with a resumable code (4000) is resumed; with 1000 the client identifies again', async () => {
    const fake = await discord.start();
    const client = await readyBot(fake, noIdentifyThrottle);

    const resumed = fake.nextEvent('resume');
    const handled = clientResumed(client);
    fake.dropGateway({ code: 4000 });
    expect(await resumed).toMatchObject({ accepted: true });
    await handled;

    const identified = fake.nextEvent('identify');
    fake.dropGateway({ code: 1000 });
    await identified;
    expect(fake.identifies).toHaveLength(2);
    expect(await ask(fake, 'new session')).toBe('got new session');
  });

  it('a session that cannot be resumed gets INVALID_SESSION, then discord.js identifies anew', async () => {
    const fake = await discord.start();
    await readyBot(fake, noIdentifyThrottle);
    const refused = fake.nextEvent('resume');
    const identified = fake.nextEvent('identify');

    fake.dropGateway({ resumable: false });

    expect(await refused).toMatchObject({ accepted: false });
    await identified;
    expect(await ask(fake, 'fresh')).toBe('got fresh');
  });

  it('op 9 with d=true: discord.js resumes on the same connection; d=false: it identifies', async () => {
    const fake = await discord.start();
    const client = await readyBot(fake, noIdentifyThrottle);

    const resumed = fake.nextEvent('resume');
    const handled = clientResumed(client);
    fake.invalidateSession(true);
    expect(await resumed).toMatchObject({ accepted: true, replayed: 0 });
    await handled;

    const identified = fake.nextEvent('identify');
    fake.invalidateSession(false);
    await identified;
    expect(await ask(fake, 'again')).toBe('got again');
  });

  it('unacknowledged heartbeats make discord.js drop the zombie connection and resume', async () => {
    const fake = await discord.start({ heartbeatIntervalMs: 200 });
    await readyBot(fake);
    const closed = fake.nextEvent('gateway-close', (event) => event.byClient);
    const resumed = fake.nextEvent('resume');

    fake.withholdHeartbeatAcks();
    await closed;
    fake.withholdHeartbeatAcks(false);

    expect(await resumed).toMatchObject({ accepted: true });
    expect(await ask(fake, 'alive')).toBe('got alive');
  });
});

describe('gateway protocol', () => {
  it('HELLO, IDENTIFY → READY then GUILD_CREATE, heartbeat → ACK, sequence numbers', async () => {
    const fake = await discord.start({ heartbeatIntervalMs: 5_000 });
    const gateway = await RawGateway.open(fake);
    const hello = await gateway.waitFor((f) => f.op === 10);
    expect(hello.d).toEqual({ heartbeat_interval: 5_000 });

    gateway.identify(fake.token);
    const ready = await gateway.waitFor((f) => f.t === 'READY');
    const guildCreate = await gateway.waitFor((f) => f.t === 'GUILD_CREATE');
    gateway.send({ op: 1, d: guildCreate.s });
    await gateway.waitFor((f) => f.op === 11);

    expect(ready).toMatchObject({ op: 0, s: 1 });
    expect(ready.d).toMatchObject({
      v: 10,
      user: { id: fake.botUser.id, bot: true },
      guilds: [{ id: fake.guild().id, unavailable: true }],
      resume_gateway_url: `ws://127.0.0.1:${fake.port}/gateway/resume`,
      application: { id: fake.applicationId },
    });
    expect(guildCreate).toMatchObject({ s: 2, d: { id: fake.guild().id, unavailable: false } });
    gateway.close();
  });

  it("closes with Discord's codes: 4004 wrong token, 4003 before identify, 4002 bad JSON, 4012 bad version", async () => {
    const fake = await discord.start();
    const wrongToken = await RawGateway.open(fake);
    wrongToken.identify('nope');
    expect((await wrongToken.closed).code).toBe(4004);

    const early = await RawGateway.open(fake);
    early.send({ op: 3, d: { status: 'online' } });
    expect((await early.closed).code).toBe(4003);

    const garbage = await RawGateway.open(fake);
    garbage.ws.send('{not json');
    expect((await garbage.closed).code).toBe(4002);

    const oldVersion = await RawGateway.open(fake, '?v=6&encoding=json');
    expect((await oldVersion.closed).code).toBe(4012);
  });

  it('RESUME of an unknown session gets op 9 d=false; compress=zlib-stream is ignored (plain frames)', async () => {
    const fake = await discord.start();
    const gateway = await RawGateway.open(fake, '?v=10&encoding=json&compress=zlib-stream');
    await gateway.waitFor((f) => f.op === 10);
    gateway.send({ op: 6, d: { token: fake.token, session_id: 'gone', seq: 3 } });

    expect((await gateway.waitFor((f) => f.op === 9)).d).toBe(false);
    gateway.close();
  });
});

import { Events, type TextChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { registerImagine } from './helpers/commands.js';
import { useDiscordHarness } from './helpers/discord-harness.js';

const discord = useDiscordHarness();

describe('rate limits', () => {
  it('every bucketed response carries the X-RateLimit headers', async () => {
    const fake = await discord.start();
    const response = await fetch(
      `${fake.apiUrl}/v10/channels/${fake.channel('general').id}/messages`,
      {
        method: 'POST',
        headers: { Authorization: `Bot ${fake.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: 'hi' }),
      },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit')).toBe('5');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(Number(response.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(
      Date.now() / 1000 - 1,
    );
    expect(response.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a scripted 429 on message edits is waited out by discord.js and counted as scripted, not avoidable', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;
    const sent = await channel.send('progress 0%');
    fake.rateLimits.script('message-edit', { count: 1, retryAfterMs: 300 });

    const edited = await sent.edit('progress 50%');

    expect(edited.content).toBe('progress 50%');
    expect(fake.tooManyRequests).toEqual([
      expect.objectContaining({
        bucket: 'message-edit',
        scripted: true,
        avoidable: false,
        global: false,
        scope: 'user',
      }),
    ]);
    expect(fake.requests.filter((r) => r.bucket === 'message-edit').map((r) => r.status)).toEqual([
      429, 200,
    ]);
    expect(fake.rateLimits.pending()).toBe(0);
  });

  it('a scripted 429 on editReply (the webhook @original route) is waited out too', async () => {
    const fake = await discord.start();
    await registerImagine(fake, discord.rest(fake));
    const client = await discord.login(fake);
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      fake.rateLimits.script('PATCH /webhooks/{application}/{token}/messages/@original', {
        retryAfterMs: 250,
      });
      await interaction.editReply('step 1');
      await interaction.editReply('step 2');
    });

    const handle = await fake.slashCommand({ name: 'imagine', options: { prompt: 'x' } });
    await handle.waitForOriginal((m) => m.content === 'step 2');

    expect(fake.tooManyRequests.map((r) => [r.route, r.scripted, r.avoidable])).toEqual([
      ['/webhooks/{application}/{token}/messages/@original', true, false],
    ]);
    expect(handle.original()?.history.map((r) => r.content)).toEqual(['', 'step 1', 'step 2']);
  });

  it('discord.js stays inside a bucket it has learned: no 429 at all', async () => {
    const fake = await discord.start({
      rateLimits: { 'message-edit': { limit: 2, windowMs: 300 } },
    });
    const client = await discord.login(fake);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;
    const sent = await channel.send('0');

    for (let step = 1; step <= 5; step++) await sent.edit(String(step));

    expect(fake.message(sent.id)?.history.map((r) => r.content)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(fake.tooManyRequests).toEqual([]);
  });

  it("a client that ignores Remaining: 0 gets an avoidable 429 with Discord's body and headers", async () => {
    const fake = await discord.start({
      rateLimits: { 'message-create': { limit: 2, windowMs: 60_000 } },
    });
    const post = () =>
      fetch(`${fake.apiUrl}/v10/channels/${fake.channel('general').id}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bot ${fake.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: 'spam' }),
      });

    await post();
    const last = await post();
    const limited = await post();

    expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    const body = (await limited.json()) as {
      message: string;
      retry_after: number;
      global: boolean;
    };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body.retry_after).toBeGreaterThan(0);
    expect(fake.tooManyRequests).toEqual([
      expect.objectContaining({ bucket: 'message-create', scripted: false, avoidable: true }),
    ]);
  });

  it('a scripted global 429 is flagged global and discord.js waits it out', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;
    fake.rateLimits.script('message-create', { global: true, retryAfterMs: 200 });

    await channel.send('after the global limit');

    expect(fake.tooManyRequests).toEqual([
      expect.objectContaining({ global: true, scope: 'global', scripted: true, avoidable: false }),
    ]);
  });

  it('failNext: a 500 is retried by discord.js, a 404 reaches the bot', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;

    fake.failNext('message-create', 500);
    await channel.send('survives one 500');
    fake.failNext('POST /channels/{channel}/messages', 404, {
      message: 'Unknown Channel',
      code: 10003,
    });
    await expect(channel.send('fails')).rejects.toMatchObject({ status: 404, code: 10003 });

    expect(fake.requests.filter((r) => r.bucket === 'message-create').map((r) => r.status)).toEqual(
      [500, 200, 404],
    );
  });
});

import { once } from 'node:events';
import { Events, GatewayIntentBits, type Message, type TextChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { MessageType } from '../src/index.js';
import { useDiscordHarness } from './helpers/discord-harness.js';
import { greyPng } from './helpers/png.js';

const discord = useDiscordHarness();

const withContent = {
  intents: [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.MessageContent,
  ],
};

describe('channel messages', () => {
  it('channel.send with a reply reference and an attachment, then message.edit; every revision is kept', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake, withContent);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;
    const question = await fake.userMessage({ content: 'draw me a cat' });
    const png = greyPng(8, 8);

    const sent = await channel.send({
      content: 'Here you go',
      reply: { messageReference: question.id },
      files: [{ attachment: png, name: 'cat.png' }],
    });
    const edited = await sent.edit({ content: 'Here you go (v2)' });

    expect(sent.reference?.messageId).toBe(question.id);
    expect(sent.author.id).toBe(fake.botUser.id);
    expect(sent.attachments.first()).toMatchObject({
      name: 'cat.png',
      width: 8,
      height: 8,
      contentType: 'image/png',
    });
    expect(edited.editedTimestamp).not.toBeNull();
    expect(edited.attachments.size).toBe(1);
    const stored = fake.message(sent.id);
    expect(stored).toMatchObject({ type: MessageType.Reply, content: 'Here you go (v2)' });
    expect(stored?.reference?.messageId).toBe(question.id);
    expect(stored?.history.map((r) => [r.content, r.attachments.length])).toEqual([
      ['Here you go', 1],
      ['Here you go (v2)', 1],
    ]);
    expect(stored?.attachments[0]?.bytes).toEqual(png);
  });

  it('a reply to a message that does not exist fails unless fail_if_not_exists is false', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;

    await expect(
      channel.send({ content: 'x', reply: { messageReference: '123456789012345678' } }),
    ).rejects.toMatchObject({
      status: 400,
      code: 50035,
    });
    const sent = await channel.send({
      content: 'x',
      reply: { messageReference: '123456789012345678', failIfNotExists: false },
    });
    expect(sent.reference).toBeNull();
  });

  it("the bot receives MESSAGE_CREATE for users' messages, and content only with the MessageContent intent", async () => {
    const fake = await discord.start();
    const reader = await discord.login(fake, withContent);
    const blind = await discord.login(fake);
    const readerGot = once(reader, Events.MessageCreate) as Promise<[Message]>;
    const blindGot = once(blind, Events.MessageCreate) as Promise<[Message]>;

    await fake.userMessage({ channelId: 'general', user: 'tester', content: 'hello bot' });

    const [[seen], [unseen]] = await Promise.all([readerGot, blindGot]);
    expect(seen.content).toBe('hello bot');
    expect(seen.author.username).toBe('tester');
    expect(unseen.content).toBe('');
  });

  it("refuses empty messages and edits of other users' messages; deletes and fetches", async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;

    await expect(channel.send({ content: '' })).rejects.toMatchObject({ status: 400, code: 50006 });
    const theirs = await fake.userMessage({ content: 'mine' });
    await expect(
      client.rest.patch(`/channels/${channel.id}/messages/${theirs.id}`, {
        body: { content: 'x' },
      }),
    ).rejects.toMatchObject({
      status: 403,
      code: 50005,
    });
    const ours = await channel.send('bye');
    const fetched = await channel.messages.fetch({ message: ours.id, force: true });
    expect(fetched.content).toBe('bye');
    const deleted = fake.nextEvent('message-delete');
    await ours.delete();
    expect((await deleted).message.id).toBe(ours.id);
    await expect(channel.messages.fetch({ message: ours.id, force: true })).rejects.toMatchObject({
      status: 404,
      code: 10008,
    });
    expect(fake.message(ours.id)?.deleted).toBe(true);
  });
});

import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Events,
  MessageFlags,
  type ChatInputCommandInteraction,
  type Client,
  type Interaction,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { CallbackType } from '../src/index.js';
import { registerImagine } from './helpers/commands.js';
import { useDiscordHarness } from './helpers/discord-harness.js';
import { greyPng } from './helpers/png.js';

const discord = useDiscordHarness();

/** Resolves with the next chat-input command the client receives. */
function nextCommand(client: Client): Promise<ChatInputCommandInteraction> {
  return new Promise((resolve) => {
    const listener = (interaction: Interaction): void => {
      if (!interaction.isChatInputCommand()) return;
      client.off(Events.InteractionCreate, listener);
      resolve(interaction);
    };
    client.on(Events.InteractionCreate, listener);
  });
}

async function loggedInWithImagine(options: Parameters<typeof discord.start>[0] = {}) {
  const fake = await discord.start(options);
  await registerImagine(fake, discord.rest(fake));
  const client = await discord.login(fake);
  return { fake, client };
}

describe('slash commands', () => {
  it('delivers typed options and attachments; the bot downloads the attachment from the fake CDN', async () => {
    const { fake, client } = await loggedInWithImagine();
    const init = greyPng(64, 32);
    const received = nextCommand(client);
    await fake.slashCommand({
      name: 'imagine',
      options: { prompt: 'a cat', steps: 20, cfg: 7.5, hires: true },
      attachments: { init: { filename: 'init image.png', bytes: init } },
    });
    const interaction = await received;

    expect(interaction.commandName).toBe('imagine');
    expect(interaction.options.getString('prompt')).toBe('a cat');
    expect(interaction.options.getInteger('steps')).toBe(20);
    expect(interaction.options.getNumber('cfg')).toBe(7.5);
    expect(interaction.options.getBoolean('hires')).toBe(true);
    expect(interaction.user.username).toBe('tester');
    expect(interaction.channelId).toBe(fake.channel('general').id);
    expect(interaction.inGuild()).toBe(true);
    const attachment = interaction.options.getAttachment('init', true);
    expect(attachment).toMatchObject({
      name: 'init_image.png',
      size: init.length,
      contentType: 'image/png',
      width: 64,
      height: 32,
    });
    const download = await fetch(attachment.url);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(init);
    await interaction.reply('ok');
  });

  it('deferReply, then editReply with a file and a button row, then followUp', async () => {
    const { fake, client } = await loggedInWithImagine();
    const png = greyPng(16, 16);
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.editReply({
        content: `Done: ${interaction.options.getString('prompt')}`,
        files: [new AttachmentBuilder(png, { name: 'result.png' })],
        components: [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder()
              .setCustomId('again')
              .setLabel('Again')
              .setStyle(ButtonStyle.Primary),
          ),
        ],
      });
      await interaction.followUp({
        content: 'Only you can see this',
        flags: MessageFlags.Ephemeral,
      });
    });

    const handle = await fake.slashCommand({ name: 'imagine', options: { prompt: 'a fox' } });
    expect((await handle.response()).type).toBe(CallbackType.DeferredChannelMessageWithSource);
    const followUp = await handle.waitForFollowUp();
    const original = handle.original();

    expect(original?.loading).toBe(false);
    expect(original?.content).toBe('Done: a fox');
    expect(original?.attachments.map((a) => [a.filename, a.contentType, a.bytes])).toEqual([
      ['result.png', 'image/png', png],
    ]);
    expect(original?.customIds()).toEqual(['again']);
    expect(original?.history.map((revision) => revision.content)).toEqual(['', 'Done: a fox']);
    expect(original?.history[0]?.flags).toBe(MessageFlags.Loading);
    expect(followUp).toMatchObject({ content: 'Only you can see this', ephemeral: true });
    expect(fake.messages('general').map((m) => m.id)).toEqual([original?.id, followUp.id]);
  });

  it('the first follow-up after a deferral fills the loading message instead of posting a new one', async () => {
    const { fake, client } = await loggedInWithImagine();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.followUp({ content: 'first' });
      await interaction.followUp({ content: 'second' });
    });
    const handle = await fake.slashCommand({ name: 'imagine', options: { prompt: 'x' } });
    const second = await handle.waitForFollowUp((m) => m.content === 'second');

    expect(handle.original()).toMatchObject({ content: 'first', ephemeral: true, loading: false });
    expect(handle.followUps()).toEqual([second]);
  });

  it('reply with withResponse gets the callback response object', async () => {
    const { fake, client } = await loggedInWithImagine();
    const interactionPromise = nextCommand(client);
    await fake.slashCommand({ name: 'imagine', options: { prompt: 'x' } });
    const interaction = await interactionPromise;
    const response = await interaction.reply({ content: 'hello', withResponse: true });

    expect(response.interaction.id).toBe(interaction.id);
    expect(response.resource?.message?.content).toBe('hello');
    expect(response.interaction.responseMessageId).toBe(response.resource?.message?.id);
  });

  it('answers a second callback with 40060 and a late first callback with 10062', async () => {
    const { fake, client } = await loggedInWithImagine();
    const first = nextCommand(client);
    await fake.slashCommand({ name: 'imagine', options: { prompt: 'x' } });
    const interaction = await first;
    await interaction.deferReply();
    // discord.js refuses a second reply itself, so go around it as a buggy bot would.
    const again = client.rest.post(
      `/interactions/${interaction.id}/${interaction.token}/callback`,
      {
        body: { type: 4, data: { content: 'twice' } },
        auth: false,
      },
    );
    await expect(again).rejects.toMatchObject({
      status: 400,
      code: 40060,
      message: 'Interaction has already been acknowledged.',
    });

    const late = nextCommand(client);
    const handle = await fake.slashCommand({ name: 'imagine', options: { prompt: 'y' } });
    handle.expireAckWindow();
    await expect((await late).deferReply()).rejects.toMatchObject({
      status: 404,
      code: 10062,
      message: 'Unknown interaction',
    });
    expect(handle.callbacks.map((c) => [c.status, c.accepted])).toEqual([[404, false]]);
  });

  it('an expired interaction token fails on webhook routes with 50027', async () => {
    const { fake, client } = await loggedInWithImagine();
    const received = nextCommand(client);
    await fake.slashCommand({ name: 'imagine', options: { prompt: 'x' } });
    const interaction = await received;
    await interaction.deferReply();
    fake.expireInteractionTokens();

    await expect(interaction.editReply('too late')).rejects.toMatchObject({
      status: 401,
      code: 50027,
      message: 'Invalid Webhook Token',
    });
  });

  it('refuses a file over the guild upload limit with 413 / 40005', async () => {
    const { fake, client } = await loggedInWithImagine({ guilds: [{ uploadLimitBytes: 1024 }] });
    const received = nextCommand(client);
    await fake.slashCommand({ name: 'imagine', options: { prompt: 'x' } });
    const interaction = await received;
    expect(interaction.attachmentSizeLimit).toBe(1024);
    await interaction.deferReply();

    await expect(
      interaction.editReply({ files: [{ attachment: Buffer.alloc(2048), name: 'big.bin' }] }),
    ).rejects.toMatchObject({
      status: 413,
      code: 40005,
    });
    await interaction.editReply({ files: [{ attachment: Buffer.alloc(1000), name: 'small.bin' }] });
    expect(fake.messages('general')[0]?.attachments.map((a) => a.size)).toEqual([1000]);
  });

  it('refuses to inject a command that is not registered, or with a wrong option', async () => {
    const { fake } = await loggedInWithImagine();
    await expect(fake.slashCommand({ name: 'nope' })).rejects.toThrow(/no command \/nope/);
    await expect(fake.slashCommand({ name: 'imagine', options: { steps: 3 } })).rejects.toThrow(
      /'prompt' .* required/,
    );
    await expect(
      fake.slashCommand({ name: 'imagine', options: { prompt: 'x', steps: 2.5 } }),
    ).rejects.toThrow(/integer/);
    await expect(
      fake.slashCommand({ name: 'imagine', options: { prompt: 'x', seed: 1 } }),
    ).rejects.toThrow(/no option 'seed'/);
  });

  it('editReply keeps earlier attachments only when they are listed again', async () => {
    const { fake, client } = await loggedInWithImagine();
    const received = nextCommand(client);
    const handle = await fake.slashCommand({ name: 'imagine', options: { prompt: 'x' } });
    const interaction = await received;
    await interaction.deferReply();
    const first = await interaction.editReply({
      files: [{ attachment: Buffer.from('one'), name: 'one.txt' }],
    });
    await interaction.editReply({
      content: 'kept',
      attachments: [...first.attachments.values()],
      files: [{ attachment: Buffer.from('two'), name: 'two.txt' }],
    });
    expect(handle.original()?.attachments.map((a) => a.filename)).toEqual(['one.txt', 'two.txt']);
    await interaction.editReply({ content: 'no list: all stay' });
    expect(handle.original()?.attachments.map((a) => a.filename)).toEqual(['one.txt', 'two.txt']);
    await interaction.editReply({
      files: [{ attachment: Buffer.from('three'), name: 'three.txt' }],
    });
    expect(handle.original()?.attachments.map((a) => a.bytes.toString())).toEqual(['three']);
    await interaction.editReply({ attachments: [] });
    expect(handle.original()?.attachments).toEqual([]);
    expect(handle.original()?.content).toBe('no list: all stay');
  });
});

import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Events,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type TextChannel,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { CallbackType, type FakeDiscord } from '../src/index.js';
import { registerImagine } from './helpers/commands.js';
import { useDiscordHarness } from './helpers/discord-harness.js';

const discord = useDiscordHarness();

const buttons = (disabled = false) =>
  new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId('retry')
      .setLabel('Retry')
      .setStyle(ButtonStyle.Primary)
      .setDisabled(disabled),
    new ButtonBuilder().setCustomId('cancel').setLabel('Cancel').setStyle(ButtonStyle.Danger),
  );

async function postWithButtons(fake: FakeDiscord, channel: TextChannel) {
  const sent = await channel.send({ content: 'Render ready', components: [buttons()] });
  const message = fake.message(sent.id);
  if (!message) throw new Error('the fake did not record the message');
  return message;
}

describe('message components', () => {
  it('a button press answered with deferUpdate then editReply edits the message the button is on', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;
    const message = await postWithButtons(fake, channel);
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isButton()) return;
      await interaction.deferUpdate();
      await interaction.editReply({
        content: `Retrying for ${interaction.user.username}`,
        components: [buttons(true)],
      });
    });

    const press = await fake.pressButton({ message, customId: 'retry' });

    expect((await press.response()).type).toBe(CallbackType.DeferredUpdateMessage);
    const updated = await press.waitForOriginal((m) => m.history.length === 2);
    expect(updated.id).toBe(message.id);
    expect(updated.content).toBe('Retrying for tester');
    await expect(fake.pressButton({ message, customId: 'retry' })).rejects.toThrow(/disabled/);
    expect(message.customIds()).toEqual(['retry', 'cancel']);
  });

  it('a button press answered with update() edits in the callback', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;
    const message = await postWithButtons(fake, channel);
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isButton())
        await interaction.update({ content: 'Cancelled', components: [] });
    });

    const press = await fake.pressButton({
      message,
      customId: 'cancel',
      user: { username: 'bob' },
    });
    const callback = await press.response();

    expect(callback.type).toBe(CallbackType.UpdateMessage);
    expect(message.content).toBe('Cancelled');
    expect(message.components).toEqual([]);
    expect(press.user.username).toBe('bob');
  });

  it('a select menu delivers the chosen values', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);
    const channel = client.channels.cache.get(fake.channel('general').id) as TextChannel;
    const menu = new StringSelectMenuBuilder()
      .setCustomId('size')
      .addOptions({ label: 'Small', value: '512' }, { label: 'Large', value: '1024' });
    const sent = await channel.send({
      content: 'Size?',
      components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
    });
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isStringSelectMenu())
        await interaction.reply({ content: `size ${interaction.values.join(',')}` });
    });

    const choice = await fake.selectMenu({ message: sent.id, customId: 'size', values: ['1024'] });

    expect((await choice.waitForOriginal()).content).toBe('size 1024');
  });

  it('autocomplete: respond() sends the choices', async () => {
    const fake = await discord.start();
    await registerImagine(fake, discord.rest(fake));
    const client = await discord.login(fake);
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const typed = interaction.options.getFocused(true);
      const models = ['sdxl-base', 'sd15', 'flux-dev'].filter((m) => m.startsWith(typed.value));
      await interaction.respond(models.map((m) => ({ name: m, value: m })));
    });

    const typing = await fake.autocomplete({
      name: 'imagine',
      options: { prompt: 'a cat', model: 'sd' },
      focused: 'model',
    });
    const callback = await typing.response();

    expect(callback.type).toBe(CallbackType.ApplicationCommandAutocompleteResult);
    expect(callback.data?.['choices']).toEqual([
      { name: 'sdxl-base', value: 'sdxl-base' },
      { name: 'sd15', value: 'sd15' },
    ]);
    expect(typing.payload['data']).toMatchObject({
      options: [{ name: 'prompt' }, { name: 'model', value: 'sd', focused: true }],
    });
  });

  it('a modal shown from a slash command comes back filled in with submitModal', async () => {
    const fake = await discord.start();
    await registerImagine(fake, discord.rest(fake));
    const client = await discord.login(fake);
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const modal = new ModalBuilder()
          .setCustomId('negative')
          .setTitle('Negative prompt')
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder()
                .setCustomId('text')
                .setLabel('Avoid')
                .setStyle(TextInputStyle.Paragraph),
            ),
          );
        await interaction.showModal(modal);
      } else if (interaction.isModalSubmit()) {
        await interaction.reply({
          content: `avoiding: ${interaction.fields.getTextInputValue('text')}`,
        });
      }
    });

    const command = await fake.slashCommand({ name: 'imagine', options: { prompt: 'a cat' } });
    expect((await command.response()).type).toBe(CallbackType.Modal);
    const submit = await fake.submitModal({ interaction: command, fields: { text: 'blur' } });

    expect((await submit.waitForOriginal()).content).toBe('avoiding: blur');
    expect(submit.user.id).toBe(command.user.id);
  });
});

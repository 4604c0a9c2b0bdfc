import { Routes, SlashCommandBuilder, type REST } from 'discord.js';
import type { FakeDiscord } from '../../src/index.js';

export const imagineCommand = new SlashCommandBuilder()
  .setName('imagine')
  .setDescription('Generate an image')
  .addStringOption((o) => o.setName('prompt').setDescription('What to draw').setRequired(true))
  .addIntegerOption((o) => o.setName('steps').setDescription('Sampler steps'))
  .addNumberOption((o) => o.setName('cfg').setDescription('Guidance scale'))
  .addBooleanOption((o) => o.setName('hires').setDescription('Upscale'))
  .addAttachmentOption((o) => o.setName('init').setDescription('Start image'))
  .addStringOption((o) => o.setName('model').setDescription('Checkpoint').setAutocomplete(true));

/** Registers /imagine in the fake's first guild, as a bot does at start-up. */
export async function registerImagine(fake: FakeDiscord, rest: REST): Promise<void> {
  await rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guild().id), {
    body: [imagineCommand.toJSON()],
  });
}

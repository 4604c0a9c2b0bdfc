import { DiscordAPIError, Routes, SlashCommandBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { imagineCommand } from './helpers/commands.js';
import { useDiscordHarness } from './helpers/discord-harness.js';

const discord = useDiscordHarness();

const ping = new SlashCommandBuilder().setName('ping').setDescription('Ping').toJSON();

describe('application commands', () => {
  it('bulk-overwrites guild commands with REST, counts the writes and keeps ids across overwrites', async () => {
    const fake = await discord.start();
    const rest = discord.rest(fake);
    const route = Routes.applicationGuildCommands(fake.applicationId, fake.guild().id);

    const first = (await rest.put(route, { body: [imagineCommand.toJSON(), ping] })) as {
      id: string;
      name: string;
    }[];
    const second = (await rest.put(route, { body: [imagineCommand.toJSON()] })) as {
      id: string;
      name: string;
      guild_id: string;
    }[];

    expect(first.map((c) => c.name)).toEqual(['imagine', 'ping']);
    expect(second[0]).toMatchObject({
      id: first[0]?.id,
      name: 'imagine',
      guild_id: fake.guild().id,
      application_id: fake.applicationId,
    });
    expect(fake.commands(fake.guild().id).map((c) => c['name'])).toEqual(['imagine']);
    expect(fake.commands()).toEqual([]);
    expect(fake.commandWrites.map((w) => [w.method, w.guildId, w.commands.length])).toEqual([
      ['PUT', fake.guild().id, 2],
      ['PUT', fake.guild().id, 1],
    ]);
    expect(await rest.get(route)).toEqual(second);
  });

  it('registers global commands through client.application.commands and answers the same list', async () => {
    const fake = await discord.start();
    const client = await discord.login(fake);
    const written = fake.nextEvent('commands-write');

    const commands = await client.application!.commands.set([ping]);
    const created = await client.application!.commands.create({
      name: 'status',
      description: 'Queue status',
    });

    expect((await written).guildId).toBeNull();
    expect(commands.map((c) => c.name)).toEqual(['ping']);
    expect(created.name).toBe('status');
    expect(fake.commands().map((c) => c['name'])).toEqual(['ping', 'status']);
    expect(fake.commandWrites.map((w) => w.method)).toEqual(['PUT', 'POST']);
    const fetched = await client.application!.commands.fetch();
    expect([...fetched.values()].map((c) => c.name)).toEqual(['ping', 'status']);
  });

  it('rejects definitions Discord rejects, with Invalid Form Body details', async () => {
    const fake = await discord.start();
    const rest = discord.rest(fake);
    const route = Routes.applicationCommands(fake.applicationId);

    const error = await rest
      .put(route, {
        body: [
          { name: 'Imagine', description: 'Upper case is not allowed' },
          { ...ping },
          { ...ping },
        ],
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect((error as DiscordAPIError).rawError).toMatchObject({
      errors: {
        '0': { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } },
        _errors: [{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME' }],
      },
    });
    const optionOrder = await rest
      .put(route, {
        body: [
          {
            name: 'bad',
            description: 'Required after optional',
            options: [
              { type: 3, name: 'a', description: 'a' },
              { type: 3, name: 'b', description: 'b', required: true },
            ],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect((optionOrder as DiscordAPIError).rawError).toMatchObject({
      errors: {
        '0': {
          options: { '1': { _errors: [{ code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID' }] } },
        },
      },
    });
    expect(fake.commandWrites).toEqual([]);
  });

  it('answers 403 Missing Access for another application id', async () => {
    const fake = await discord.start();
    await expect(
      discord.rest(fake).put(Routes.applicationCommands('123456789012345678'), { body: [] }),
    ).rejects.toMatchObject({
      status: 403,
      code: 50001,
    });
  });
});

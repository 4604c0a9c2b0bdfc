import { gradientPng } from '@comfyrelay/testkit';
import { describe, expect, it } from 'vitest';
import { finalOf, isResult, privateAnswerOf } from './helpers/messages.js';
import { useWorlds } from './helpers/world.js';

const world = useWorlds();

const ATTACHMENT = 11;
const INTEGER = 4;

describe('slash commands from the workflow catalog', () => {
  it('registers one typed command per workflow and the built-ins, in the configured server', async () => {
    const { discord } = await world();
    const commands = discord.commands(discord.guild().id);
    const names = commands.map((command) => command['name']);
    expect(names).toEqual(
      expect.arrayContaining([
        'imagine',
        'video',
        'queue',
        'cancel',
        'status',
        'settings',
        'show',
        'help',
      ]),
    );
    expect(discord.commands()).toEqual([]);
    const imagine = commands.find((command) => command['name'] === 'imagine')!;
    const options = imagine['options'] as Record<string, unknown>[];
    expect(options[0]).toMatchObject({ name: 'prompt', type: 3, required: true });
    expect(options.find((option) => option['name'] === 'steps')).toMatchObject({
      type: INTEGER,
      min_value: 1,
      max_value: 100,
    });
    expect(options.find((option) => option['name'] === 'checkpoint')).toMatchObject({
      autocomplete: true,
    });
    expect(discord.commandWrites).toHaveLength(1);
  });

  it('a picture option: the attachment is downloaded and used; one over the limit is refused in words', async () => {
    const { discord } = await world({ env: { DISCORD_MAX_PICTURE_MB: '0.01' } });
    const img2img = discord
      .commands(discord.guild().id)
      .find(
        (command) =>
          (command['options'] as Record<string, unknown>[] | undefined)?.some(
            (option) => option['type'] === ATTACHMENT && option['name'] === 'image',
          ) && String(command['name']).includes('img2img'),
      );
    expect(img2img).toBeDefined();
    const name = String(img2img!['name']);

    const small = await discord.slashCommand({
      name,
      options: {
        prompt: 'the same, at night',
        steps: 2,
        image: { filename: 'small.png', bytes: gradientPng(48, 32), contentType: 'image/png' },
      },
    });
    expect(isResult(await finalOf(small))).toBe(true);

    const large = await discord.slashCommand({
      name,
      options: {
        prompt: 'too big',
        image: { filename: 'large.png', bytes: gradientPng(400, 300), contentType: 'image/png' },
      },
    });
    const refusal = await privateAnswerOf(discord, large);
    expect(refusal.content).toMatch(/large\.png is .*KB, more than the 10 KB a picture may have/);
  });
});

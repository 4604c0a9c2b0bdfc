import { describe, expect, it } from 'vitest';
import { finalOf, originalMatching } from './helpers/messages.js';
import { useWorlds } from './helpers/world.js';

const world = useWorlds();

interface Choice {
  name: string;
  value: string;
}

describe('autocomplete on the built-in commands', () => {
  it('/cancel and /show suggest the user’s own jobs by prompt; /help the commands', async () => {
    const { discord, sim } = await world();
    const done = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a finished fox', steps: 2 },
    });
    await finalOf(done);
    sim.holdExecution();
    const waiting = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a waiting owl', steps: 2 },
    });
    await originalMatching(waiting, (m) => /owl/.test(m.content));

    const choicesOf = async (name: string, focused: string, typed: string, user?: string) => {
      const typing = await discord.autocomplete({
        name,
        options: { [focused]: typed },
        focused,
        ...(user !== undefined ? { user: { username: user } } : {}),
      });
      return (await typing.response()).data?.['choices'] as Choice[];
    };
    const cancel = await choicesOf('cancel', 'job', '');
    expect(cancel).toHaveLength(1);
    expect(cancel[0]!.name).toMatch(/^[0-9a-f]{8} · a waiting owl — /);
    expect(cancel[0]!.value).toMatch(/^[0-9a-f-]{36}$/);
    const show = await choicesOf('show', 'job', 'fox');
    expect(show.map((choice) => choice.name)).toEqual([
      expect.stringMatching(/^[0-9a-f]{8} · a finished fox — succeeded$/),
    ]);
    const someoneElse = await choicesOf('cancel', 'job', '', 'bob');
    expect(someoneElse).toEqual([]);
    const help = await choicesOf('help', 'command', 'imag');
    expect(help).toContainEqual({ name: expect.stringMatching(/^\/imagine — /), value: 'imagine' });

    // The suggested value is what /cancel takes.
    const cancelled = await discord.slashCommand({
      name: 'cancel',
      options: { job: cancel[0]!.value },
    });
    expect((await cancelled.response()).data?.['content']).toMatch(/^Cancelled [0-9a-f]{8}\.$/);
    sim.releaseExecution();
  });
});

import { describe, expect, it } from 'vitest';
import {
  button,
  finalOf,
  isResult,
  labelsOf,
  messageMatching,
  originalMatching,
} from './helpers/messages.js';
import { useWorlds } from './helpers/world.js';

const world = useWorlds();

describe('a bot restarted mid-job (a new platform on the same data dir)', () => {
  it('edits the same message to the result; buttons made before the restart still work', async () => {
    const w = await world();
    const { discord, sim } = w;
    const earlier = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'before the restart', steps: 2 },
    });
    const done = await finalOf(earlier);

    sim.once('step', () => sim.setStepDelay(60_000));
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'during the restart', steps: 6 },
    });
    await originalMatching(run, (m) => /%/.test(m.content));
    const writes = discord.commandWrites.length;

    await w.restartBot();
    sim.setStepDelay(1);

    const final = await finalOf(run);
    expect(isResult(final)).toBe(true);
    expect(final.content).toContain('during the restart');
    expect(discord.messages().filter((m) => !m.deleted)).toHaveLength(2);
    expect(discord.commandWrites).toHaveLength(writes);

    const reroll = await discord.pressButton({ message: done, customId: button(done, '🔄') });
    expect((await reroll.response()).type).toBe(6);
    const rerolled = await messageMatching(
      discord,
      (m) => m.reference?.messageId === done.id && isResult(m),
      'the reroll of a result made before the restart',
    );
    expect(labelsOf(rerolled)).toContain('🔄');
  });
});

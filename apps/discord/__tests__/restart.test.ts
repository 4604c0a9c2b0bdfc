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

  it('a job moved to a message of its own (an old token) is edited there after the restart', async () => {
    // Every interaction token counts as old: the first preview moves the job to a channel message.
    const w = await world({ tuning: { tokenMaxAgeMs: 0 } });
    const { discord, sim } = w;
    sim.setStepDelay(500);
    let movedSeen = false;
    let holding = false;
    // The first step after the move is shown in the moved message, then the job holds.
    const held = new Promise<void>((resolve) =>
      sim.on('step', () => {
        if (!movedSeen || holding) return;
        holding = true;
        sim.setStepDelay(3_600_000);
        resolve();
      }),
    );
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'moved before the restart', steps: 20 },
    });
    await run.response();
    const original = run.original()!;
    const moved = await messageMatching(
      discord,
      (m) => m.reference?.messageId === original.id && m.attachments.length > 0,
      'the job moved to a message of its own',
    );
    movedSeen = true;
    await held;
    await messageMatching(
      discord,
      (m) => m.id === moved.id && m.history.length > 1,
      'the moved message edited',
    );

    await w.restartBot();
    sim.setStepDelay(1);
    const final = await messageMatching(
      discord,
      (m) => m.id === moved.id && isResult(m),
      'the result in the moved message',
    );
    expect(final.content).toContain('moved before the restart');
    expect(discord.messages().filter((m) => !m.deleted && !m.ephemeral)).toHaveLength(2);
  });
});

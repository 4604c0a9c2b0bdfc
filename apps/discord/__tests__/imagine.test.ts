import { describe, expect, it } from 'vitest';
import {
  finalOf,
  isPng,
  isResult,
  labelsOf,
  originalMatching,
  privateAnswerOf,
} from './helpers/messages.js';
import { useWorlds } from './helpers/world.js';

const world = useWorlds();

describe('/imagine on Discord', () => {
  it('is deferred at once, then ONE message shows progress with a preview and Cancel, then the result with its buttons', async () => {
    const { discord, sim } = await world();
    // Hold the job after its first step so its progress is seen for sure, then let it finish.
    sim.once('step', () => sim.setStepDelay(60_000));
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a red fox in the snow', steps: 8 },
    });

    expect((await run.response()).type).toBe(5);
    const running = await originalMatching(
      run,
      (m) =>
        /%/.test(m.content) &&
        /\d+\/8/.test(m.content) &&
        m.attachments.some((a) => a.filename.startsWith('preview')) &&
        labelsOf(m).includes('Cancel'),
    );
    expect(running.content).toContain('a red fox in the snow');
    expect(running.content).toContain('▰');
    sim.setStepDelay(1);

    const final = await finalOf(run);
    expect(final.id).toBe(running.id);
    expect(final.attachments).toHaveLength(1);
    expect(isPng(final.attachments[0]!.bytes)).toBe(true);
    expect(labelsOf(final)).toEqual(expect.arrayContaining(['🔄', 'Upscale']));
    expect(final.content).toContain('a red fox in the snow');
    expect(final.content).toContain('@tester');
    expect(run.followUps()).toEqual([]);
    expect(discord.messages().filter((m) => !m.deleted)).toHaveLength(1);
    expect(discord.tooManyRequests).toEqual([]);
  });

  it('two users at once: each their own message with their place in the queue, both delivered', async () => {
    const { discord, sim } = await world();
    sim.holdExecution();
    const ann = await discord.slashCommand({
      name: 'imagine',
      user: { username: 'ann' },
      options: { prompt: 'a lighthouse', steps: 2 },
    });
    const bob = await discord.slashCommand({
      name: 'imagine',
      user: { username: 'bob' },
      options: { prompt: 'a harbour', steps: 2 },
    });
    await originalMatching(bob, (m) => /ahead of yours/.test(m.content));
    sim.releaseExecution();

    const [annFinal, bobFinal] = await Promise.all([finalOf(ann), finalOf(bob)]);
    expect(isResult(annFinal) && isResult(bobFinal)).toBe(true);
    expect(annFinal.content).toMatch(/a lighthouse[\s\S]*@ann/);
    expect(bobFinal.content).toMatch(/a harbour[\s\S]*@bob/);
    expect(annFinal.id).not.toBe(bobFinal.id);
  });

  it('a value the workflow refuses is answered only to the user, in words; nothing is posted', async () => {
    const { discord } = await world();
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a fox', checkpoint: 'no-such-model.safetensors' },
    });

    const answer = await privateAnswerOf(discord, run);
    expect(answer.content).toMatch(/checkpoint/);
    // In Discord's markdown, escaped: shown as it is written.
    expect(answer.content).toMatch(/v1\\-5\\-pruned\\-emaonly/);
    expect(answer.content).not.toMatch(/Error:|\bat \w+ \(/);
    expect(discord.messages().filter((m) => !m.ephemeral && !m.deleted)).toEqual([]);
  });

  it('autocomplete suggests the live choices; /help is answered privately', async () => {
    const { discord } = await world();
    const typing = await discord.autocomplete({
      name: 'imagine',
      options: { prompt: 'x', checkpoint: 'v1' },
      focused: 'checkpoint',
    });
    const choices = (await typing.response()).data?.['choices'] as { value: string }[];
    expect(choices.map((choice) => choice.value)).toContain('v1-5-pruned-emaonly.safetensors');

    const help = await discord.slashCommand({ name: 'help' });
    const reply = await help.response();
    expect(reply.type).toBe(4);
    expect(help.original()?.ephemeral).toBe(true);
    expect(help.original()?.content).toContain('/imagine');
  });
});

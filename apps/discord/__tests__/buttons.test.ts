import type { FakeMessage } from '@comfyrelay/testkit-discord';
import { describe, expect, it } from 'vitest';
import {
  button,
  finalOf,
  isResult,
  labelsOf,
  messageMatching,
  originalMatching,
  privateAnswerOf,
} from './helpers/messages.js';
import { useWorlds, type World } from './helpers/world.js';

const world = useWorlds();
const bob = { username: 'bob' };

/** The result a button press started: a new channel message replying to `pressed`. */
function resultReplyingTo(discord: World['discord'], pressed: FakeMessage, who: string) {
  return messageMatching(
    discord,
    (m) => m.reference?.messageId === pressed.id && m.content.includes(who) && isResult(m),
    `a result by ${who} replying to ${pressed.id}`,
  );
}

describe('buttons under a result', () => {
  it('V1 and 🔄 start new jobs for whoever pressed, replying in the same channel; Upscale on one of those', async () => {
    const { discord } = await world();
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'two foxes', steps: 2, batch_size: 2 },
    });
    const grid = await finalOf(run);
    expect(labelsOf(grid)).toEqual(['U1', 'U2', 'V1', 'V2', '🔄']);

    const variation = await discord.pressButton({
      message: grid,
      customId: button(grid, 'V1'),
      user: bob,
    });
    const reroll = await discord.pressButton({
      message: grid,
      customId: button(grid, '🔄'),
      user: bob,
    });
    expect((await variation.response()).type).toBe(6);
    expect((await reroll.response()).type).toBe(6);
    const results = await Promise.all([
      messageMatching(
        discord,
        (m) => m.reference?.messageId === grid.id && isResult(m) && labelsOf(m).includes('Upscale'),
        'the variation',
      ),
      messageMatching(
        discord,
        (m) => m.reference?.messageId === grid.id && isResult(m) && labelsOf(m).includes('U2'),
        'the reroll',
      ),
    ]);
    for (const result of results) {
      expect(result.channelId).toBe(grid.channelId);
      expect(result.content).toContain('@bob');
    }

    const single = results[0];
    const upscale = await discord.pressButton({
      message: single,
      customId: button(single, 'Upscale'),
      user: { username: 'cem' },
    });
    expect((await upscale.response()).type).toBe(6);
    const upscaled = await resultReplyingTo(discord, single, '@cem');
    expect(upscaled.attachments[0]?.width).toBeGreaterThan(single.attachments[0]?.width ?? 0);
    expect(discord.tooManyRequests).toEqual([]);
  });

  it('U2 sends that image on its own, without a new job', async () => {
    const { discord, bot } = await world();
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'two owls', steps: 2, batch_size: 2 },
    });
    const grid = await finalOf(run);
    await discord.pressButton({ message: grid, customId: button(grid, 'U2') });
    const picked = await messageMatching(
      discord,
      (m) => m.reference?.messageId === grid.id && m.content === 'Image 2',
    );
    expect(picked.attachments).toHaveLength(1);
    expect(bot.relay.active()).toEqual([]);
  });
});

describe('a 429 on what a button starts', () => {
  it('is waited out by the outbox: the follow-up is sent once its channel may, and shown', async () => {
    const { discord, bot } = await world();
    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a paper crane', steps: 2 },
    });
    const result = await finalOf(run);
    discord.rateLimits.script('POST /channels/{channel}/messages', {
      count: 1,
      retryAfterMs: 1_000,
    });
    const reroll = await discord.pressButton({ message: result, customId: button(result, '🔄') });
    expect((await reroll.response()).type).toBe(6);
    await resultReplyingTo(discord, result, '@');
    expect(
      discord.tooManyRequests.map(({ method, scripted, avoidable }) => ({
        method,
        scripted,
        avoidable,
      })),
    ).toEqual([{ method: 'POST', scripted: true, avoidable: false }]);
    // Counted for the operator's metrics, through the platform's AppContext.metrics.
    expect(bot.metrics.rateLimits().get('discord')).toBe(1);
    expect(discord.messages().filter((m) => m.ephemeral)).toEqual([]);
  });
});

describe('Cancel on a progress message', () => {
  it('cancels a queued job and a running one; someone else may not', async () => {
    const { discord, sim } = await world();
    sim.holdExecution();
    const first = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'first', steps: 20 },
    });
    const second = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'second', steps: 2 },
    });
    const waiting = await originalMatching(
      second,
      (m) => /ahead of yours/.test(m.content) && labelsOf(m).includes('Cancel'),
    );

    const notYours = await discord.pressButton({
      message: waiting,
      customId: button(waiting, 'Cancel'),
      user: bob,
    });
    expect((await privateAnswerOf(discord, notYours)).content).toMatch(/Only the person who asked/);

    await discord.pressButton({ message: waiting, customId: button(waiting, 'Cancel') });
    expect((await finalOf(second)).content).toMatch(/cancelled/i);

    sim.once('step', () => sim.setStepDelay(60_000));
    sim.releaseExecution();
    const running = await originalMatching(
      first,
      (m) => /%/.test(m.content) && labelsOf(m).includes('Cancel') && m.attachments.length > 0,
    );
    const cancel = await discord.pressButton({
      message: running,
      customId: button(running, 'Cancel'),
    });
    expect((await privateAnswerOf(discord, cancel)).content).toMatch(/Cancelling/);
    const cancelled = await finalOf(first);
    expect(cancelled.content).toMatch(/cancelled/i);
    expect(labelsOf(cancelled)).toEqual([]);
    // The half-made preview goes with the job: a cancelled job does not look like a result.
    expect(cancelled.attachments).toEqual([]);
  });
});

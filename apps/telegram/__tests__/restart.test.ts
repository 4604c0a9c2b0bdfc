import { describe, expect, it } from 'vitest';
import {
  pauseAfterFirstStep,
  pressButton,
  showsResult,
  waitForBotMessage,
  waitForMessage,
  wordsOf,
} from './helpers/observe.js';
import { ann, annChat } from './helpers/people.js';
import { useBot } from './helpers/useBot.js';

const bots = useBot();

describe('a bot restart (a new platform on the same data dir)', () => {
  it('keeps editing the message of a job it took up, and buttons from before still work', async () => {
    const bot = await bots.start();
    const { telegram, sim } = bot;
    const before = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine before the restart --steps 2' })
      .reply();
    const earlier = await waitForMessage(
      telegram,
      annChat.id,
      before.message_id,
      showsResult,
      'a result',
    );

    const step = pauseAfterFirstStep(sim);
    const during = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine across the restart --steps 3' })
      .reply();
    await step.paused;
    await waitForMessage(
      telegram,
      annChat.id,
      during.message_id,
      (message) => /Sampling 1\/3/.test(wordsOf(message)),
      'the job running',
    );
    await bot.restart();
    const editedAfter = telegram.nextEvent('edit', (edit) => edit.message_id === during.message_id);
    step.resume();
    await editedAfter;

    const final = await waitForMessage(
      telegram,
      annChat.id,
      during.message_id,
      showsResult,
      'the result',
    );
    expect(wordsOf(final)).toContain('across the restart');
    expect(final.media?.type).toBe('photo');
    expect(telegram.chat(annChat.id).messages.filter((message) => !message.deleted)).toHaveLength(
      2,
    );

    const press = pressButton(telegram, annChat, ann, earlier, /🔄/);
    expect((await press.answered()).show_alert).toBeFalsy();
    await waitForBotMessage(
      telegram,
      annChat.id,
      (message) =>
        message.reply_to_message_id === earlier.message_id &&
        !message.deleted &&
        showsResult(message),
      'the reroll of a result from before the restart',
    );
  });

  it('edits the photo that replaced a follow-up’s text message, not the deleted text', async () => {
    const bot = await bots.start();
    const { telegram, sim } = bot;
    const reply = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine a kite --steps 20' })
      .reply();
    const result = await waitForMessage(
      telegram,
      annChat.id,
      reply.message_id,
      showsResult,
      'the result',
    );
    // The reroll's first preview replaces its "Sending…" text with a photo; the first step after
    // that is an edit of the photo, then the job holds.
    sim.setStepDelay(500);
    let replaced = false;
    let holding = false;
    const held = new Promise<void>((resolve) =>
      sim.on('step', () => {
        if (!replaced || holding) return;
        holding = true;
        sim.setStepDelay(3_600_000);
        resolve();
      }),
    );
    await pressButton(telegram, annChat, ann, result, /🔄/).answered();
    const photo = await waitForBotMessage(
      telegram,
      annChat.id,
      (message) =>
        message.reply_to_message_id === result.message_id &&
        !message.deleted &&
        message.media?.type === 'photo',
      'the follow-up’s photo',
    );
    replaced = true;
    await held;
    await waitForMessage(
      telegram,
      annChat.id,
      photo.message_id,
      (message) => message.versions.length > 1,
      'the photo edited',
    );
    await bot.restart();
    sim.setStepDelay(5);

    const final = await waitForMessage(
      telegram,
      annChat.id,
      photo.message_id,
      showsResult,
      'the reroll’s result in its photo',
    );
    expect(wordsOf(final)).toContain('a kite');
    expect(telegram.chat(annChat.id).messages.filter((message) => !message.deleted)).toHaveLength(
      2,
    );
  });

  it('keeps each person’s /settings in the platform’s store', async () => {
    const bot = await bots.start();
    const saved = await bot.telegram
      .sendText({ chat: annChat, from: ann, text: '/settings --steps 3 --ar 16:9' })
      .reply();
    expect(saved.text).toMatch(/--steps 3/);
    await bot.restart();
    const shown = await bot.telegram
      .sendText({ chat: annChat, from: ann, text: '/settings' })
      .reply();
    expect(shown.text).toMatch(/--steps 3/);
    expect(shown.text).toMatch(/--aspect 16:9/);
  });
});

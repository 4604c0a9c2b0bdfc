import { describe, expect, it } from 'vitest';
import {
  buttonsOf,
  pauseAfterFirstStep,
  pressButton,
  showsCancelled,
  showsResult,
  waitForBotMessage,
  waitForMessage,
  wordsOf,
} from './helpers/observe.js';
import { ann, annChat, BOT, bob, group } from './helpers/people.js';
import { useBot } from './helpers/useBot.js';

const bots = useBot();

describe('inline buttons', () => {
  it('🔄 under a result starts a new job for whoever pressed it, answering the result', async () => {
    const { telegram } = await bots.start();
    const reply = await telegram
      .sendText({ chat: group, from: ann, text: `/imagine@${BOT} a paper boat --steps 2` })
      .reply();
    const result = await waitForMessage(
      telegram,
      group.id,
      reply.message_id,
      showsResult,
      'the result',
    );

    const press = pressButton(telegram, group, bob, result, /🔄/);
    expect((await press.answered()).text).toBeUndefined();
    const rerolled = await waitForBotMessage(
      telegram,
      group.id,
      (message) =>
        message.message_id !== result.message_id && !message.deleted && showsResult(message),
      'the rerolled result',
    );
    expect(rerolled.reply_to_message_id).toBe(result.message_id);
    expect(wordsOf(rerolled)).toContain('a paper boat');
    expect(wordsOf(rerolled)).toContain('Bob');
    for (const message of telegram.chat(group.id).messages)
      for (const version of message.versions)
        for (const button of buttonsOf(version))
          expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
  });

  it('a 429 on a follow-up’s first message is waited out; the follow-up starts all the same', async () => {
    const { telegram } = await bots.start();
    const reply = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine a paper crane --steps 2' })
      .reply();
    const result = await waitForMessage(
      telegram,
      annChat.id,
      reply.message_id,
      showsResult,
      'the result',
    );
    // The "Sending…" of the reroll is refused once, with a retry_after.
    telegram.floodLimits.script({
      chatId: annChat.id,
      method: 'sendMessage',
      count: 1,
      retryAfterS: 1,
    });
    const press = pressButton(telegram, annChat, ann, result, /🔄/);
    expect((await press.answered()).text).toBeUndefined();
    await waitForBotMessage(
      telegram,
      annChat.id,
      (message) =>
        message.reply_to_message_id === result.message_id &&
        !message.deleted &&
        showsResult(message),
      'the rerolled result',
    );
    // Answered once, at once: no "something went wrong" after it.
    const answers = telegram.calls.filter((call) => call.method === 'answerCallbackQuery');
    expect(answers.map((call) => call.params['text'])).toEqual([undefined]);
    expect(
      telegram.tooManyRequests.map(({ method, scripted, avoidable }) => ({
        method,
        scripted,
        avoidable,
      })),
    ).toEqual([{ method: 'sendMessage', scripted: true, avoidable: false }]);
  });

  it('Cancel under someone else’s job is refused in an alert, unless an admin presses it', async () => {
    const admin = { id: 7100, first_name: 'Ada', username: 'ada' };
    const { telegram, sim } = await bots.start({ env: { TELEGRAM_ADMIN_USERS: String(admin.id) } });
    const step = pauseAfterFirstStep(sim);
    const reply = await telegram
      .sendText({ chat: group, from: ann, text: `/imagine@${BOT} a slow one --steps 3` })
      .reply();
    await step.paused;
    const running = await waitForMessage(
      telegram,
      group.id,
      reply.message_id,
      (message) => buttonsOf(message).some((button) => button.text === 'Cancel'),
      'a Cancel button',
    );
    const refused = await pressButton(telegram, group, bob, running, /Cancel/).answered();
    expect(refused).toMatchObject({
      text: 'Only the person who asked (or an admin) can do that.',
      show_alert: true,
    });
    const accepted = await pressButton(telegram, group, admin, running, /Cancel/).answered();
    expect(accepted.text).toBe('Cancelling…');
    await waitForMessage(telegram, group.id, reply.message_id, showsCancelled, 'the job cancelled');
    step.resume();
  });
});

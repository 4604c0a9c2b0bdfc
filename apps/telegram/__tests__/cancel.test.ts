import { describe, expect, it } from 'vitest';
import { placeholderPicture } from '../src/adapter/placeholderPicture.js';
import {
  buttonsOf,
  pauseAfterFirstStep,
  pressButton,
  showsCancelled,
  waitForMessage,
  wordsOf,
} from './helpers/observe.js';
import { ann, annChat } from './helpers/people.js';
import { useBot } from './helpers/useBot.js';

const bots = useBot();

describe('cancelling', () => {
  it('a queued job by its button, a running one by /cancel: both end saying so', async () => {
    const { telegram, sim } = await bots.start();
    const step = pauseAfterFirstStep(sim);
    const first = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine the running one --steps 3' })
      .reply();
    await step.paused;
    const second = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine the queued one --steps 3' })
      .reply();
    const queued = await waitForMessage(
      telegram,
      annChat.id,
      second.message_id,
      (message) =>
        /ahead of yours/.test(wordsOf(message)) &&
        buttonsOf(message).some((button) => button.text === 'Cancel'),
      'the queued job with its place and a Cancel button',
    );

    const answer = await pressButton(telegram, annChat, ann, queued, /Cancel/).answered();
    expect(answer.text).toBe('Cancelling…');
    await waitForMessage(
      telegram,
      annChat.id,
      second.message_id,
      showsCancelled,
      'the queued job cancelled',
    );

    const cancel = telegram.sendText({ chat: annChat, from: ann, text: '/cancel' });
    expect((await cancel.reply()).text).toMatch(/^Cancelled [0-9a-f]{8}\.$/);
    await waitForMessage(
      telegram,
      annChat.id,
      first.message_id,
      showsCancelled,
      'the running job cancelled',
    );
    step.resume();
  });

  it('the Cancel button stops a running job', async () => {
    const { telegram, sim } = await bots.start();
    const step = pauseAfterFirstStep(sim);
    const reply = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine never finished --steps 5' })
      .reply();
    await step.paused;
    const running = await waitForMessage(
      telegram,
      annChat.id,
      reply.message_id,
      (message) =>
        /Sampling 1\/5/.test(wordsOf(message)) &&
        message.versions.some((version) => version.method === 'editMessageMedia'),
      'the job running, its preview shown',
    );
    await pressButton(telegram, annChat, ann, running, /Cancel/).answered();
    const final = await waitForMessage(
      telegram,
      annChat.id,
      reply.message_id,
      showsCancelled,
      'the job cancelled',
    );
    expect(final.media?.type).toBe('photo');
    // Not the half-made preview: the neutral picture the reply started with.
    expect(Buffer.from(final.media!.bytes!)).toEqual(
      Buffer.from((await placeholderPicture()).data),
    );
    step.resume();
  });
});

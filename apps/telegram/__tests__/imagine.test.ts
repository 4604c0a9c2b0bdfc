import { describe, expect, it } from 'vitest';
import {
  buttonsOf,
  pauseAfterFirstStep,
  showsResult,
  waitForMessage,
  wordsOf,
} from './helpers/observe.js';
import { ann, annChat, BOT, bob, group } from './helpers/people.js';
import { useBot } from './helpers/useBot.js';

const bots = useBot();

describe('/imagine: an immediate reply that becomes the progress message, then the result', () => {
  it('edits one message from the queue through steps and previews to a photo with buttons', async () => {
    const { telegram, sim } = await bots.start();
    const step = pauseAfterFirstStep(sim);
    const sent = telegram.sendText({
      chat: annChat,
      from: ann,
      text: '/imagine a red fox --steps 4 --seed 7',
    });
    const reply = await sent.reply();
    expect(reply.reply_to_message_id).toBe(sent.message!.message_id);
    expect(reply.media?.type).toBe('photo');

    await step.paused;
    const running = await waitForMessage(
      telegram,
      annChat.id,
      reply.message_id,
      (message) =>
        message.versions.some((version) => version.method === 'editMessageMedia') &&
        /Sampling 1\/4/.test(wordsOf(message)),
      'a preview with the first step',
    );
    expect(wordsOf(running)).toMatch(/a red fox - @ann/);
    expect(wordsOf(running)).toMatch(/▰/);
    expect(buttonsOf(running).map((button) => button.text)).toEqual(['Cancel']);

    step.resume();
    const final = await waitForMessage(
      telegram,
      annChat.id,
      reply.message_id,
      showsResult,
      'the result',
    );
    expect(final.media?.type).toBe('photo');
    expect(final.media?.bytes?.subarray(1, 4).toString()).toBe('PNG');
    expect(wordsOf(final)).toContain('a red fox');
    expect(wordsOf(final)).toContain('seed 7');
    expect(buttonsOf(final).map((button) => button.text)).toEqual(
      expect.arrayContaining(['Vary', 'Upscale', '🎞 Animate', '🔄']),
    );
    for (const button of buttonsOf(final))
      expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    // One message for the whole job: every state of it was an edit of the first reply.
    expect(telegram.chat(annChat.id).messages).toHaveLength(1);
    expect(final.versions.slice(1).every((version) => version.method.startsWith('edit'))).toBe(
      true,
    );
  });

  it('registers the catalog as the command menu, /start and /help answer with it', async () => {
    const { telegram } = await bots.start();
    const names = telegram.commands().map((command) => command.command);
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
    const started = await telegram.sendText({ chat: annChat, from: ann, text: '/start' }).reply();
    expect(started.text).toContain('/imagine');
    const help = await telegram
      .sendText({ chat: annChat, from: ann, text: '/help imagine' })
      .reply();
    expect(help.text).toMatch(/--steps .*1 to 100/);
  });

  it('serves two chats at once: a private chat and a group addressing the bot by name', async () => {
    const { telegram } = await bots.start();
    const inPrivate = telegram.sendText({
      chat: annChat,
      from: ann,
      text: '/imagine a lighthouse --steps 3',
    });
    const inGroup = telegram.sendText({
      chat: group,
      from: bob,
      text: `/imagine@${BOT} a harbour at night --steps 3`,
    });
    const [privateReply, groupReply] = await Promise.all([inPrivate.reply(), inGroup.reply()]);
    const [privateFinal, groupFinal] = await Promise.all([
      waitForMessage(
        telegram,
        annChat.id,
        privateReply.message_id,
        showsResult,
        'the private result',
      ),
      waitForMessage(telegram, group.id, groupReply.message_id, showsResult, 'the group result'),
    ]);
    expect(wordsOf(privateFinal)).toContain('a lighthouse');
    expect(wordsOf(groupFinal)).toContain('a harbour at night');
    expect(wordsOf(groupFinal)).toContain('Bob');
    expect(groupReply.reply_to_message_id).toBe(inGroup.message!.message_id);
  });

  it('in a group, ignores a command it does not know unless it is addressed to it', async () => {
    const { telegram } = await bots.start();
    telegram.sendText({ chat: group, from: bob, text: '/weather Paris' });
    const addressed = telegram.sendText({ chat: group, from: bob, text: `/weather@${BOT} Paris` });
    const reply = await addressed.reply();
    expect(reply.text).toMatch(/There is no command \/weather/);
    expect(reply.reply_to_message_id).toBe(addressed.message!.message_id);
    // Each chat's updates are handled in order, so the first one was handled (and not answered).
    expect(telegram.chat(group.id).messages).toHaveLength(1);
  });
});

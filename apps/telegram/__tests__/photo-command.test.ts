import { gradientPng } from '@comfyrelay/testkit';
import { describe, expect, it } from 'vitest';
import { showsResult, waitForMessage, wordsOf } from './helpers/observe.js';
import { ann, annChat } from './helpers/people.js';
import { useBot } from './helpers/useBot.js';

const bots = useBot();

describe('a photo whose caption is a command', () => {
  it('feeds the workflow that takes a picture; the result answers the photo', async () => {
    const { telegram, sim } = await bots.start();
    const command = telegram.commands().find((candidate) => /img2img/.test(candidate.command));
    expect(command).toBeDefined();
    const uploaded = sim.nextEvent('http', (request) => /\/upload\/image/.test(request.path));
    const photo = telegram.sendPhoto({
      chat: annChat,
      from: ann,
      photo: gradientPng(96, 64),
      caption: `/${command!.command} the same in blue --steps 2`,
    });
    const reply = await photo.reply();
    expect(reply.reply_to_message_id).toBe(photo.message!.message_id);
    expect(await uploaded).toMatchObject({ method: 'POST', status: 200 });
    const final = await waitForMessage(
      telegram,
      annChat.id,
      reply.message_id,
      showsResult,
      'the result',
    );
    expect(wordsOf(final)).toContain('the same in blue');
    expect(final.media?.type).toBe('photo');
  });

  it('a command answering a photo uses that photo', async () => {
    const { telegram, sim } = await bots.start();
    const command = telegram.commands().find((candidate) => /img2img/.test(candidate.command));
    const photo = telegram.sendPhoto({ chat: annChat, from: ann, photo: gradientPng(64, 64) });
    await photo.confirmed();
    const uploaded = sim.nextEvent('http', (request) => /\/upload\/image/.test(request.path));
    const reply = await telegram
      .sendText({
        chat: annChat,
        from: ann,
        text: `/${command!.command} sharper --steps 2`,
        replyToMessageId: photo.message!.message_id,
      })
      .reply();
    await uploaded;
    await waitForMessage(telegram, annChat.id, reply.message_id, showsResult, 'the result');
  });

  it('without a picture, the workflow says what it needs', async () => {
    const { telegram } = await bots.start();
    const command = telegram.commands().find((candidate) => /img2img/.test(candidate.command));
    const reply = await telegram
      .sendText({ chat: annChat, from: ann, text: `/${command!.command} sharper` })
      .reply();
    expect(reply.text).toMatch(/image/);
    expect(reply.media).toBeUndefined();
  });
});

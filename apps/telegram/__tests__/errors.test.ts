import { describe, expect, it } from 'vitest';
import { waitForMessage, wordsOf } from './helpers/observe.js';
import { ann, annChat, bob, bobChat } from './helpers/people.js';
import { useBot } from './helpers/useBot.js';

const bots = useBot();

describe('errors in words, as a reply to the user’s message', () => {
  it('refuses parameters the workflow does not accept, before opening a progress message', async () => {
    const { telegram } = await bots.start();
    const tooMany = telegram.sendText({
      chat: annChat,
      from: ann,
      text: '/imagine a fox --steps 999',
    });
    const refused = await tooMany.reply();
    expect(refused.text).toMatch(/steps must be at most 100/);
    expect(refused.reply_to_message_id).toBe(tooMany.message!.message_id);

    const typo = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine a fox --stesp 3' })
      .reply();
    expect(typo.text).toMatch(/--stesp.*did you mean --steps/);

    const empty = await telegram.sendText({ chat: annChat, from: ann, text: '/imagine' }).reply();
    expect(empty.text).toMatch(/prompt/);
    // Nothing but the three answers: no job was started, no progress message opened.
    expect(telegram.chat(annChat.id).messages.map((message) => message.media)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('shows what people typed as they typed it, characters HTML gives a meaning to included', async () => {
    const { telegram } = await bots.start();
    const refused = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine a fox --sampler <b>&co' })
      .reply();
    expect(refused.text).toContain('<b>&co');
    const started = await telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine <i>fox</i> & hound --steps 2' })
      .reply();
    const titled = await waitForMessage(
      telegram,
      annChat.id,
      started.message_id,
      (message) => wordsOf(message).startsWith('<i>fox</i> & hound'),
      'the prompt as the title',
    );
    expect(titled.media?.type).toBe('photo');
  });

  it('says so in chats it does not serve, and to people who are not allowed', async () => {
    const { telegram } = await bots.start({ env: { TELEGRAM_ALLOWED_CHATS: String(annChat.id) } });
    const elsewhere = await telegram
      .sendText({ chat: bobChat, from: bob, text: '/imagine a fox' })
      .reply();
    expect(elsewhere.text).toBe('I do not make pictures in this chat.');
    const unknown = await telegram
      .sendText({ chat: annChat, from: ann, text: '/paint a fox' })
      .reply();
    expect(unknown.text).toBe('There is no command /paint; /help lists them.');
    const marked = await telegram
      .sendText({ chat: annChat, from: ann, text: '/show <b>x</b>' })
      .reply();
    expect(marked.text).toBe('There is no job <b>x</b>.');
  });
});

import { InlineKeyboard } from 'grammy';
import { describe, expect, it } from 'vitest';
import { useHarness } from './helpers/harness.js';
import { alice, aliceChat } from './helpers/people.js';

const harness = useHarness();

const TOO_OLD = 'Bad Request: query is too old and response timeout expired or query ID is invalid';

describe('callback queries', () => {
  it('a button press reaches the bot; answerCallbackQuery is recorded once', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    const secondAnswers: unknown[] = [];
    bot.command('menu', (ctx) =>
      ctx.reply('Pick one', { reply_markup: new InlineKeyboard().text('Cancel', 'cancel:7') }),
    );
    bot.callbackQuery(/^cancel:(\d+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: `Cancelled ${ctx.match[1]}` });
      await ctx.answerCallbackQuery('again').catch((error: unknown) => secondAnswers.push(error));
      await ctx.editMessageReplyMarkup();
    });
    harness.run(bot);

    const menu = await telegram.sendText({ chat: aliceChat, from: alice, text: '/menu' }).reply();
    const press = telegram.pressButton({
      chat: aliceChat,
      from: alice,
      message_id: menu.message_id,
      data: 'cancel:7',
    });
    expect(press.update?.callback_query?.message?.message_id).toBe(menu.message_id);
    const answer = await press.answered();
    expect(answer.text).toBe('Cancelled 7');
    await telegram.nextEvent('edit', (message) => message.message_id === menu.message_id);
    expect(secondAnswers).toMatchObject([{ error_code: 400, description: TOO_OLD }]);
    const [recorded] = telegram.chat(aliceChat.id).messages;
    expect(recorded?.reply_markup).toBeUndefined();
    expect(recorded?.message.reply_markup).toBeUndefined();
    expect(recorded?.versions.map((version) => version.method)).toEqual([
      'sendMessage',
      'editMessageReplyMarkup',
    ]);
  });

  it('answers after the timeout are refused as too old', async () => {
    const telegram = await harness.start({ callbackAnswerTimeoutMs: 0 });
    const bot = harness.bot(telegram);
    telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
    const menu = await bot.api.sendMessage(aliceChat.id, 'Pick', {
      reply_markup: new InlineKeyboard().text('Go', 'go'),
    });
    const press = telegram.pressButton({
      chat: aliceChat,
      from: alice,
      message_id: menu.message_id,
      data: 'go',
    });
    const id = press.update!.callback_query!.id;
    await expect(bot.api.answerCallbackQuery(id)).rejects.toMatchObject({ description: TOO_OLD });
    await expect(bot.api.answerCallbackQuery('12345')).rejects.toMatchObject({
      description: TOO_OLD,
    });
  });

  it('pressing a button that does not exist is a test error', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
    const plain = await bot.api.sendMessage(aliceChat.id, 'no buttons');
    expect(() =>
      telegram.pressButton({
        chat: aliceChat,
        from: alice,
        message_id: plain.message_id,
        data: 'x',
      }),
    ).toThrow(/no button/);
  });
});

import { describe, expect, it } from 'vitest';
import { useHarness } from './helpers/harness.js';
import { alice, aliceChat, bob, groupChat } from './helpers/people.js';

const harness = useHarness();

describe('long polling with grammY + runner', () => {
  it('init calls getMe and gets the configured bot', async () => {
    const telegram = await harness.start({ bot: { username: 'render_bot', first_name: 'Render' } });
    const bot = harness.bot(telegram);
    await bot.init();
    expect(bot.botInfo).toMatchObject({
      id: 123456789,
      is_bot: true,
      username: 'render_bot',
      first_name: 'Render',
      can_read_all_group_messages: false,
    });
    expect(telegram.calls.map((call) => call.method)).toEqual(['getMe']);
  });

  it('setMyCommands stores commands per scope and language; getMyCommands reads them back', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    const changed = telegram.nextEvent('commands');
    await bot.api.setMyCommands([
      { command: 'start', description: 'Say hello' },
      { command: '/imagine', description: '  Make a picture  ' },
    ]);
    await bot.api.setMyCommands([{ command: 'hilfe', description: 'Hilfe' }], {
      scope: { type: 'all_private_chats' },
      language_code: 'de',
    });
    expect((await changed).commands).toHaveLength(2);
    expect(telegram.commands()).toEqual([
      { command: 'start', description: 'Say hello' },
      { command: 'imagine', description: 'Make a picture' },
    ]);
    expect(telegram.commands({ type: 'all_private_chats' }, 'de')).toEqual([
      { command: 'hilfe', description: 'Hilfe' },
    ]);
    expect(await bot.api.getMyCommands({ scope: { type: 'all_private_chats' } })).toEqual([]);
    await bot.api.deleteMyCommands();
    expect(telegram.commands()).toEqual([]);
  });

  it('rejects command names and descriptions Telegram rejects', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    await expect(
      bot.api.setMyCommands([{ command: 'Start', description: 'x' }]),
    ).rejects.toMatchObject({
      error_code: 400,
      description: 'Bad Request: BOT_COMMAND_INVALID',
    });
    await expect(
      bot.api.setMyCommands([{ command: 'a'.repeat(33), description: 'x' }]),
    ).rejects.toMatchObject({ description: 'Bad Request: command length must not exceed 32' });
    await expect(
      bot.api.setMyCommands([{ command: 'ok', description: ' ' }]),
    ).rejects.toMatchObject({
      description: 'Bad Request: command description must be non-empty',
    });
    await expect(
      bot.api.setMyCommands([{ command: 'ok', description: 'd'.repeat(257) }]),
    ).rejects.toMatchObject({
      description: 'Bad Request: command description length must not exceed 256',
    });
  });

  it('delivers a command through run(bot); the reply and its edit are recorded in order', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    bot.command('imagine', async (ctx) => {
      await ctx.replyWithChatAction('typing');
      const reply = await ctx.reply(`Queued: <b>${ctx.match}</b>`, {
        parse_mode: 'HTML',
        reply_parameters: { message_id: ctx.msg.message_id },
      });
      await ctx.api.editMessageText(ctx.chat.id, reply.message_id, 'Done: <i>a cat</i>', {
        parse_mode: 'HTML',
      });
    });
    harness.run(bot);

    const sent = telegram.sendText({ chat: aliceChat, from: alice, text: '/imagine a cat' });
    expect(sent.update?.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 8 }]);
    const reply = await sent.reply();
    await telegram.nextEvent('edit', (message) => message.message_id === reply.message_id);

    const [message] = telegram.chat(aliceChat.id).messages;
    expect(message).toMatchObject({
      text: 'Done: a cat',
      parse_mode: 'HTML',
      entities: [{ type: 'italic', offset: 6, length: 5 }],
      reply_to_message_id: sent.message!.message_id,
      deleted: false,
    });
    expect(message!.versions.map((version) => [version.method, version.text])).toEqual([
      ['sendMessage', 'Queued: a cat'],
      ['editMessageText', 'Done: a cat'],
    ]);
    expect(message!.message.edit_date).toBeTypeOf('number');
    expect(telegram.chat(aliceChat.id).chatActions.map((action) => action.action)).toEqual([
      'typing',
    ]);
    expect(harness.errors).toEqual([]);
  });

  it('confirms updates through offset: a second runner does not see them again', async () => {
    const telegram = await harness.start();
    const echo = (bot: ReturnType<typeof harness.bot>, name: string) =>
      bot.on('message:text', (ctx) => ctx.reply(`${name}: ${ctx.msg.text}`));
    const first = harness.bot(telegram);
    echo(first, 'first');
    const runner = harness.run(first);
    const one = telegram.sendText({ chat: aliceChat, from: alice, text: 'one' });
    await one.reply();
    await one.confirmed();
    await runner.stop();

    const second = harness.bot(telegram);
    echo(second, 'second');
    harness.run(second);
    await telegram.sendText({ chat: aliceChat, from: alice, text: 'two' }).reply();
    expect(telegram.chat(aliceChat.id).messages.map((message) => message.text)).toEqual([
      'first: one',
      'second: two',
    ]);
  });

  it("grammY's built-in bot.start() deletes the webhook, polls, and bot.stop() confirms the offset", async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    bot.on('message:text', (ctx) => ctx.reply(`echo ${ctx.msg.text}`));
    const polling = telegram.nextEvent('long-poll');
    const started = bot.start();
    await polling;
    const sent = telegram.sendText({ chat: aliceChat, from: alice, text: 'hi' });
    expect((await sent.reply()).text).toBe('echo hi');
    await bot.stop();
    await started;
    expect(telegram.pendingUpdateCount).toBe(0);
    expect(
      telegram.calls
        .slice(0, 2)
        .map((call) => call.method)
        .sort(),
    ).toEqual(['deleteWebhook', 'getMe']);
  });

  it('privacy mode: in groups only commands, mentions and replies reach the bot', async () => {
    const telegram = await harness.start({ bot: { username: 'render_bot' } });
    const bot = harness.bot(telegram);
    bot.on('message:text', (ctx) => ctx.reply(`seen: ${ctx.msg.text}`));
    harness.run(bot);

    const chatter = telegram.sendText({ chat: groupChat, from: bob, text: 'hello all' });
    expect(chatter.skipped).toBe('privacy-mode');
    const other = telegram.sendText({ chat: groupChat, from: bob, text: '/status@other_bot' });
    expect(other.skipped).toBe('privacy-mode');
    const addressed = telegram.sendText({ chat: groupChat, from: bob, text: '/status@render_bot' });
    const reply = await addressed.reply();
    const replyToBot = telegram.sendText({
      chat: groupChat,
      from: bob,
      text: 'thanks',
      replyToMessageId: reply.message_id,
    });
    await replyToBot.reply();
    expect(telegram.chat(groupChat.id).messages.map((message) => message.text)).toEqual([
      'seen: /status@render_bot',
      'seen: thanks',
    ]);
  });
});

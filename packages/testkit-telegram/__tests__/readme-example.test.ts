import { run } from '@grammyjs/runner';
import { Bot } from 'grammy';
import { expect, it } from 'vitest';
import { FakeTelegram } from '../src/index.js';

it('the README example runs as written', async () => {
  const telegram = await FakeTelegram.start({ bot: { username: 'render_bot' } });
  const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
  bot.command('imagine', (ctx) => ctx.reply(`Queued: ${ctx.match}`));
  const runner = run(bot, { runner: { silent: true } });
  try {
    const ann = { id: 7, first_name: 'Ann' };
    const sent = telegram.sendText({
      chat: { id: 7, type: 'private' },
      from: ann,
      text: '/imagine cat',
    });
    expect((await sent.reply()).text).toBe('Queued: cat');
    expect(telegram.tooManyRequests.filter((record) => record.avoidable)).toEqual([]);
  } finally {
    await runner.stop();
    await telegram.stop();
  }
});

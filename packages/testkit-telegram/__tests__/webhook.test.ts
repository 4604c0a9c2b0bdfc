import { Bot, webhookCallback } from 'grammy';
import { describe, expect, it } from 'vitest';
import { useHarness } from './helpers/harness.js';
import { alice, aliceChat } from './helpers/people.js';

const harness = useHarness();

describe('webhook mode', () => {
  it('posts updates to grammY webhookCallback with the secret token; the bot replies', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    bot.on('message:text', (ctx) => ctx.reply(`hook: ${ctx.msg.text}`));
    const url = await harness.serve(webhookCallback(bot, 'http', { secretToken: 'sekret_1' }));
    await expect(bot.api.setWebhook(url, { secret_token: 'sekret_1' })).resolves.toBe(true);
    expect(telegram.calls.at(-1)?.method).toBe('setWebhook');
    expect(await bot.api.getWebhookInfo()).toMatchObject({ url, pending_update_count: 0 });

    const sent = telegram.sendText({ chat: aliceChat, from: alice, text: 'ping' });
    const reply = await sent.reply();
    await sent.confirmed();
    expect(reply.text).toBe('hook: ping');
    await expect(bot.api.getUpdates()).rejects.toMatchObject({
      error_code: 409,
      description:
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
  });

  it('a wrong secret is refused by grammY (401); the update stays queued and is retried', async () => {
    const telegram = await harness.start({ webhookRetryDelayMs: 20 });
    const bot = harness.bot(telegram);
    bot.on('message:text', (ctx) => ctx.reply('finally'));
    const url = await harness.serve(webhookCallback(bot, 'http', { secretToken: 'right' }));
    await bot.api.setWebhook(url, { secret_token: 'wrong' });

    const refused = telegram.nextEvent('webhook');
    const sent = telegram.sendText({ chat: aliceChat, from: alice, text: 'hello?' });
    expect(await refused).toMatchObject({
      update_id: sent.update!.update_id,
      status: 401,
      error: 'Wrong response from the webhook: 401 Unauthorized',
    });
    const info = await bot.api.getWebhookInfo();
    expect(info.pending_update_count).toBe(1);
    expect(info.last_error_message).toBe('Wrong response from the webhook: 401 Unauthorized');
    expect(telegram.chat(aliceChat.id).messages).toEqual([]);

    await bot.api.setWebhook(url, { secret_token: 'right' });
    expect((await sent.reply()).text).toBe('finally');
  });

  it('retries after a failing webhook answer, in order', async () => {
    const telegram = await harness.start({ webhookRetryDelayMs: 20 });
    const statuses: number[] = [];
    let calls = 0;
    const url = await harness.serve((_req, res) => {
      calls += 1;
      res.statusCode = calls === 1 ? 500 : 200;
      res.end();
    });
    telegram.on('webhook', (delivery) => statuses.push(delivery.status));
    const bot = harness.bot(telegram);
    await bot.api.setWebhook(url);
    const first = telegram.sendText({ chat: aliceChat, from: alice, text: 'one' });
    const second = telegram.sendText({ chat: aliceChat, from: alice, text: 'two' });
    await second.confirmed();
    await first.confirmed();
    expect(statuses).toEqual([500, 200, 200]);
    const info = await bot.api.getWebhookInfo();
    expect(info.last_error_message).toBe(
      'Wrong response from the webhook: 500 Internal Server Error',
    );
  });

  it('performs a method returned in the webhook answer (webhook reply)', async () => {
    const telegram = await harness.start();
    const bot = new Bot(telegram.token, {
      client: {
        apiRoot: telegram.apiRoot,
        canUseWebhookReply: (method) => method === 'sendMessage',
      },
    });
    bot.on('message:text', (ctx) => ctx.reply('answered in the webhook response'));
    const url = await harness.serve(webhookCallback(bot, 'http'));
    await bot.api.setWebhook(url);
    const reply = await telegram.sendText({ chat: aliceChat, from: alice, text: 'hi' }).reply();
    expect(reply.text).toBe('answered in the webhook response');
    expect(telegram.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(1);
  });

  it('setWebhook ends a waiting long poll with 409; deleteWebhook allows polling again', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    const polling = telegram.nextEvent('long-poll');
    const waiting = bot.api.getUpdates({ timeout: 30 });
    await polling;
    await bot.api.setWebhook('http://127.0.0.1:9/unreachable');
    await expect(waiting).rejects.toMatchObject({
      error_code: 409,
      description: 'Conflict: terminated by setWebhook request',
    });
    await expect(bot.api.deleteWebhook({ drop_pending_updates: true })).resolves.toBe(true);
    expect((await bot.api.getWebhookInfo()).url).toBe('');
    await expect(bot.api.getUpdates({ timeout: 0 })).resolves.toEqual([]);
  });

  it('rejects malformed webhook settings like Telegram', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    await expect(bot.api.setWebhook('not a url')).rejects.toMatchObject({
      description: 'Bad Request: invalid webhook URL specified',
    });
    await expect(
      bot.api.setWebhook('http://127.0.0.1:1/x', { secret_token: 'no spaces' }),
    ).rejects.toMatchObject({
      description: 'Bad Request: secret token contains unallowed characters',
    });
  });
});

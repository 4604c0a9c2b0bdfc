import { describe, expect, it } from 'vitest';
import { freePort } from './helpers/freePort.js';
import { showsResult, waitForMessage } from './helpers/observe.js';
import { ann, annChat } from './helpers/people.js';
import { useBot } from './helpers/useBot.js';

const bots = useBot();

async function webhookBot() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/telegram/updates`;
  const bot = await bots.start({
    env: { TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_HOST: '127.0.0.1' },
  });
  return { ...bot, url };
}

describe('webhook mode', () => {
  it('sets the webhook with its secret token and answers through it', async () => {
    const { telegram, url, config } = await webhookBot();
    const setWebhook = telegram.calls.find((call) => call.method === 'setWebhook');
    expect(setWebhook?.params).toMatchObject({ url, secret_token: config.webhook!.secret });
    const delivered = telegram.nextEvent('webhook');
    const sent = telegram.sendText({
      chat: annChat,
      from: ann,
      text: '/imagine by webhook --steps 2',
    });
    expect(await delivered).toMatchObject({ status: 200 });
    const reply = await sent.reply();
    await waitForMessage(telegram, annChat.id, reply.message_id, showsResult, 'the result');
    expect(telegram.calls.some((call) => call.method === 'getUpdates')).toBe(false);
  });

  it('refuses every post without the right secret token, and anything off its path', async () => {
    const { telegram, url } = await webhookBot();
    const update = {
      update_id: 999_001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: annChat.id, type: 'private', first_name: 'Ann' },
        from: { id: ann.id, is_bot: false, first_name: 'Ann' },
        text: '/imagine forged --steps 2',
        entities: [{ type: 'bot_command', offset: 0, length: 8 }],
      },
    };
    const post = (headers: Record<string, string>, to = url) =>
      fetch(to, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(update),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': 'not-the-secret' })).status).toBe(401);
    expect((await post({}, new URL('/elsewhere', url).href)).status).toBe(404);

    // Telegram's own deliveries, which carry the secret, still get through; the forged ones did not.
    const reply = await telegram.sendText({ chat: annChat, from: ann, text: '/status' }).reply();
    expect(reply.text).toMatch(/open/);
    expect(telegram.chat(annChat.id).messages).toHaveLength(1);
  });
});

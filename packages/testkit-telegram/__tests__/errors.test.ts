import { Bot, GrammyError, InlineKeyboard, InputFile } from 'grammy';
import { describe, expect, it } from 'vitest';
import { useHarness } from './helpers/harness.js';
import { alice, aliceChat } from './helpers/people.js';

const harness = useHarness();

async function startWithChat() {
  const telegram = await harness.start({ floodLimits: false });
  telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
  return { telegram, bot: harness.bot(telegram) };
}

describe('Telegram errors', () => {
  it('a wrong token is 401 Unauthorized', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram, '987654:wrong-token');
    const error = await bot.init().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 401, description: 'Unauthorized' });
    const malformed = new Bot('not-a-token', { client: { apiRoot: telegram.apiRoot } });
    await expect(malformed.api.getMe()).rejects.toMatchObject({
      error_code: 401,
      description: 'Unauthorized: invalid token specified',
    });
    expect(telegram.calls.map((call) => call.status)).toEqual([401, 401]);
  });

  it('unknown methods are 404 Not Found; method names are case-insensitive', async () => {
    const telegram = await harness.start();
    const base = `${telegram.apiRoot}/bot${telegram.token}`;
    const unknown = await fetch(`${base}/sendHologram`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    const lower = await fetch(`${base}/getme`);
    expect(await lower.json()).toMatchObject({ ok: true, result: { username: 'test_bot' } });
  });

  it('accepts form-urlencoded and query-string parameters', async () => {
    const { telegram } = await startWithChat();
    const base = `${telegram.apiRoot}/bot${telegram.token}`;
    const form = await fetch(`${base}/sendMessage`, {
      method: 'POST',
      body: new URLSearchParams({ chat_id: String(aliceChat.id), text: 'from a form' }),
    });
    expect(await form.json()).toMatchObject({ ok: true, result: { text: 'from a form' } });
    const query = await fetch(`${base}/sendMessage?chat_id=${aliceChat.id}&text=from%20a%20query`);
    expect(await query.json()).toMatchObject({ ok: true, result: { text: 'from a query' } });
  });

  it('editing to the same content is "message is not modified"; a missing message is "not found"', async () => {
    const { bot } = await startWithChat();
    const sent = await bot.api.sendMessage(aliceChat.id, '<b>Rendering</b>', {
      parse_mode: 'HTML',
    });
    await expect(
      bot.api.editMessageText(aliceChat.id, sent.message_id, '*Rendering*', {
        parse_mode: 'MarkdownV2',
      }),
    ).rejects.toMatchObject({
      error_code: 400,
      description:
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    });
    await expect(bot.api.editMessageText(aliceChat.id, 999, 'x')).rejects.toMatchObject({
      description: 'Bad Request: message to edit not found',
    });
    await bot.api.deleteMessage(aliceChat.id, sent.message_id);
    await expect(bot.api.editMessageText(aliceChat.id, sent.message_id, 'x')).rejects.toMatchObject(
      {
        description: 'Bad Request: message to edit not found',
      },
    );
    await expect(bot.api.deleteMessage(aliceChat.id, sent.message_id)).rejects.toMatchObject({
      description: 'Bad Request: message to delete not found',
    });
  });

  it('deleteMessage flags the message and emits delete', async () => {
    const { telegram, bot } = await startWithChat();
    const sent = await bot.api.sendMessage(aliceChat.id, 'temporary');
    const deleted = telegram.nextEvent('delete');
    await bot.api.deleteMessage(aliceChat.id, sent.message_id);
    expect((await deleted).message_id).toBe(sent.message_id);
    expect(telegram.chat(aliceChat.id).messages[0]?.deleted).toBe(true);
  });

  it('callback_data over 64 bytes is BUTTON_DATA_INVALID', async () => {
    const { bot } = await startWithChat();
    const keyboard = new InlineKeyboard().text('Too long', 'x'.repeat(65));
    await expect(
      bot.api.sendMessage(aliceChat.id, 'menu', { reply_markup: keyboard }),
    ).rejects.toMatchObject({
      description: 'Bad Request: BUTTON_DATA_INVALID',
    });
    const ok = new InlineKeyboard().text('Fits', 'é'.repeat(32));
    await expect(
      bot.api.sendMessage(aliceChat.id, 'menu', { reply_markup: ok }),
    ).resolves.toBeDefined();
  });

  it('unbalanced HTML and unescaped MarkdownV2 are "can\'t parse entities"', async () => {
    const { bot } = await startWithChat();
    await expect(
      bot.api.sendMessage(aliceChat.id, '<b>open', { parse_mode: 'HTML' }),
    ).rejects.toMatchObject({
      description: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    });
    await expect(
      bot.api.sendMessage(aliceChat.id, '<b>x</i>', { parse_mode: 'HTML' }),
    ).rejects.toMatchObject({
      description: `Bad Request: can't parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`,
    });
    await expect(
      bot.api.sendMessage(aliceChat.id, 'Done.', { parse_mode: 'MarkdownV2' }),
    ).rejects.toMatchObject({
      description: `Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'`,
    });
  });

  it('enforces text and caption lengths', async () => {
    const { bot } = await startWithChat();
    await expect(bot.api.sendMessage(aliceChat.id, 'x'.repeat(4097))).rejects.toMatchObject({
      description: 'Bad Request: message is too long',
    });
    await expect(bot.api.sendMessage(aliceChat.id, '   ')).rejects.toMatchObject({
      description: 'Bad Request: message text is empty',
    });
    await expect(
      bot.api.sendPhoto(aliceChat.id, new InputFile(Buffer.from('x')), {
        caption: 'c'.repeat(1025),
      }),
    ).rejects.toMatchObject({ description: 'Bad Request: message caption is too long' });
    await expect(bot.api.sendMessage(-42, 'hi')).rejects.toMatchObject({
      description: 'Bad Request: chat not found',
    });
  });

  it('uploads over the limit are 413 Request Entity Too Large', async () => {
    const telegram = await harness.start({ limits: { photoBytes: 1000, uploadBytes: 2000 } });
    telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
    const bot = harness.bot(telegram);
    await expect(
      bot.api.sendPhoto(aliceChat.id, new InputFile(Buffer.alloc(1001))),
    ).rejects.toMatchObject({
      error_code: 413,
      description: 'Request Entity Too Large',
    });
    await expect(
      bot.api.sendDocument(aliceChat.id, new InputFile(Buffer.alloc(1500))),
    ).resolves.toBeDefined();
    await expect(
      bot.api.sendDocument(aliceChat.id, new InputFile(Buffer.alloc(2001))),
    ).rejects.toMatchObject({
      error_code: 413,
    });
  });

  it('failNext answers the next call of a method with the given error, once', async () => {
    const { telegram, bot } = await startWithChat();
    telegram.failNext('sendMessage', {
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await expect(bot.api.sendMessage(aliceChat.id, 'hi')).rejects.toMatchObject({
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await expect(bot.api.sendMessage(aliceChat.id, 'hi')).resolves.toMatchObject({ text: 'hi' });
    expect(telegram.calls.map((call) => [call.method, call.status])).toEqual([
      ['sendMessage', 403],
      ['sendMessage', 200],
    ]);
  });
});

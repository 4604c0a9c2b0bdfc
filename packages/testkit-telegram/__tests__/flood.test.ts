import { autoRetry } from '@grammyjs/auto-retry';
import { describe, expect, it } from 'vitest';
import type { FakeTelegramOptions } from '../src/index.js';
import { useHarness } from './helpers/harness.js';
import { alice, aliceChat, bob } from './helpers/people.js';

const harness = useHarness();

const bobChat = { id: bob.id, type: 'private' as const, first_name: bob.first_name };
const group = { id: -100777, type: 'supergroup' as const, title: 'Busy' };

async function start(options: FakeTelegramOptions) {
  const telegram = await harness.start(options);
  telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
  telegram.openChat(bobChat);
  telegram.openChat(group);
  return { telegram, bot: harness.bot(telegram) };
}

describe('flood limits', () => {
  it('auto-retry waits out a scripted 429; it counts as scripted, not avoidable', async () => {
    const { telegram, bot } = await start({});
    bot.api.config.use(autoRetry());
    telegram.floodLimits.script({
      chatId: aliceChat.id,
      method: 'sendMessage',
      count: 1,
      retryAfterS: 1,
    });

    const message = await bot.api.sendMessage(aliceChat.id, 'after the wait');

    expect(message.text).toBe('after the wait');
    expect(telegram.tooManyRequests).toMatchObject([
      {
        method: 'sendMessage',
        chatId: aliceChat.id,
        retryAfterS: 1,
        scripted: true,
        avoidable: false,
      },
    ]);
    expect(telegram.calls.map((call) => call.status)).toEqual([429, 200]);
    expect(telegram.calls[0]?.description).toBe('Too Many Requests: retry after 1');
  });

  it('per chat: past the burst a 429 carries retry_after; calling again inside it is avoidable', async () => {
    // A slow refill keeps the third call refused however slowly this machine runs.
    const { telegram, bot } = await start({
      floodLimits: { perChat: { perSecond: 0.1, burst: 2 } },
    });
    await bot.api.sendMessage(aliceChat.id, '1');
    await bot.api.editMessageText(aliceChat.id, 1, 'edits count too');
    const refused = await bot.api.sendMessage(aliceChat.id, '3').catch((error: unknown) => error);
    expect(refused).toMatchObject({
      error_code: 429,
      description: expect.stringMatching(/^Too Many Requests: retry after \d+$/),
    });
    expect(
      (refused as { parameters: { retry_after: number } }).parameters.retry_after,
    ).toBeGreaterThan(1);
    await expect(bot.api.sendMessage(aliceChat.id, '4')).rejects.toMatchObject({ error_code: 429 });
    // Another chat is not held back.
    await expect(bot.api.sendMessage(bobChat.id, 'fine')).resolves.toBeDefined();
    expect(telegram.tooManyRequests.map((record) => [record.reason, record.avoidable])).toEqual([
      ['chat', false],
      ['window', true],
    ]);
  });

  it('auto-retry never produces an avoidable 429 against the per-chat limit', async () => {
    const { telegram, bot } = await start({
      floodLimits: { perChat: { perSecond: 0.5, burst: 1 } },
    });
    bot.api.config.use(autoRetry());
    await bot.api.sendMessage(aliceChat.id, 'first');
    await bot.api.sendMessage(aliceChat.id, 'second');
    expect(telegram.chat(aliceChat.id).messages.map((message) => message.text)).toEqual([
      'first',
      'second',
    ]);
    expect(telegram.tooManyRequests).toMatchObject([{ reason: 'chat', avoidable: false }]);
  });

  it('per group: 20 a minute by default, here 2', async () => {
    const { telegram, bot } = await start({
      floodLimits: { perChat: false, perGroupPerMinute: 2 },
    });
    await bot.api.sendMessage(group.id, 'a');
    await bot.api.sendMessage(group.id, 'b');
    const refused = await bot.api.sendMessage(group.id, 'c').catch((error: unknown) => error);
    expect(refused).toMatchObject({ error_code: 429 });
    const [record] = telegram.tooManyRequests;
    expect(record).toMatchObject({ reason: 'group', chatId: group.id, avoidable: false });
    expect(record!.retryAfterS).toBeGreaterThan(50);
    expect(record!.retryAfterS).toBeLessThanOrEqual(60);
  });

  it('global: past the per-second limit every chat waits', async () => {
    const { telegram, bot } = await start({ floodLimits: { perChat: false, globalPerSecond: 2 } });
    const results = await Promise.allSettled([
      bot.api.sendMessage(aliceChat.id, 'a'),
      bot.api.sendMessage(bobChat.id, 'b'),
      bot.api.sendMessage(group.id, 'c'),
    ]);
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
    await expect(bot.api.sendMessage(aliceChat.id, 'd')).rejects.toMatchObject({ error_code: 429 });
    expect(telegram.tooManyRequests.map((record) => [record.reason, record.avoidable])).toEqual([
      ['global', false],
      ['window', true],
    ]);
  });

  it('scripts can target any method, without a chat', async () => {
    const { telegram, bot } = await start({});
    telegram.floodLimits.script({ method: 'getMe', count: 2, retryAfterS: 5 });
    await expect(bot.api.getMe()).rejects.toMatchObject({
      error_code: 429,
      parameters: { retry_after: 5 },
    });
    // Inside the window: avoidable, and the script's second 429 is still unused.
    await expect(bot.api.getMe()).rejects.toMatchObject({ error_code: 429 });
    expect(telegram.tooManyRequests.map((record) => [record.reason, record.avoidable])).toEqual([
      ['scripted', false],
      ['window', true],
    ]);
    // Sends are not affected by a getMe script.
    await expect(bot.api.sendMessage(aliceChat.id, 'hi')).resolves.toBeDefined();
  });
});

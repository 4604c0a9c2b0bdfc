import { describe, expect, it } from 'vitest';
import { useHarness } from './helpers/harness.js';
import { alice, aliceChat } from './helpers/people.js';

const harness = useHarness();

describe('connection faults', () => {
  it('dropPollingConnections kills the waiting getUpdates; the runner reconnects and gets the update', async () => {
    const telegram = await harness.start();
    const bot = harness.bot(telegram);
    bot.on('message:text', (ctx) => ctx.reply(`got ${ctx.msg.text}`));
    const polling = telegram.nextEvent('long-poll');
    harness.run(bot);
    await polling;

    const dropped = telegram.nextEvent(
      'call',
      (call) => call.method === 'getUpdates' && call.status === 0,
    );
    const repolling = telegram.nextEvent('long-poll');
    telegram.dropPollingConnections();
    await dropped;
    await repolling;
    const reply = await telegram
      .sendText({ chat: aliceChat, from: alice, text: 'still there?' })
      .reply();
    expect(reply.text).toBe('got still there?');
  });

  it('restart keeps the port and the pending updates; the runner carries on', async () => {
    const telegram = await harness.start();
    const port = telegram.port;
    const bot = harness.bot(telegram);
    bot.on('message:text', (ctx) => ctx.reply(`got ${ctx.msg.text}`));
    const polling = telegram.nextEvent('long-poll');
    harness.run(bot);
    await polling;

    await telegram.restart();
    expect(telegram.port).toBe(port);
    const queuedDuringOutage = telegram.sendText({
      chat: aliceChat,
      from: alice,
      text: 'after restart',
    });
    expect((await queuedDuringOutage.reply()).text).toBe('got after restart');
    expect(telegram.chat(aliceChat.id).userMessages).toHaveLength(1);
  });

  it('restart can drop pending updates', async () => {
    const telegram = await harness.start();
    telegram.sendText({ chat: aliceChat, from: alice, text: 'lost' });
    expect(telegram.pendingUpdateCount).toBe(1);
    await telegram.restart({ keepPendingUpdates: false });
    expect(telegram.pendingUpdateCount).toBe(0);
    const bot = harness.bot(telegram);
    await expect(bot.api.getUpdates({ timeout: 0 })).resolves.toEqual([]);
  });

  it('sendChatAction validates the action', async () => {
    const telegram = await harness.start();
    telegram.openChat({ id: aliceChat.id, type: 'private', first_name: alice.first_name });
    const bot = harness.bot(telegram);
    await expect(bot.api.sendChatAction(aliceChat.id, 'upload_photo')).resolves.toBe(true);
    await expect(bot.api.sendChatAction(aliceChat.id, 'dancing' as 'typing')).rejects.toMatchObject(
      { description: 'Bad Request: wrong parameter action in request' },
    );
  });
});

import type { ChatInput, SentMessage, UserInput } from '@comfyrelay/testkit-telegram';
import { describe, expect, it } from 'vitest';
import { showsResult, waitForBotMessage, waitForMessage } from './helpers/observe.js';
import { ann, annChat, BOT, bob, bobChat, group } from './helpers/people.js';
import { useBot } from './helpers/useBot.js';

const bots = useBot();

describe('within Telegram’s flood limits', () => {
  it('a 429 pauses its own chat for retry_after, and only that chat', async () => {
    const { telegram, platform } = await bots.start();
    // Long enough that the other chat is served well inside it.
    telegram.floodLimits.script({ chatId: annChat.id, count: 1, retryAfterS: 5 });
    telegram.floodLimits.script({
      chatId: bobChat.id,
      method: 'editMessageMedia',
      count: 1,
      retryAfterS: 1,
    });
    const limited = telegram.nextEvent(
      'too-many-requests',
      (record) => record.chatId === annChat.id,
    );
    const paused = telegram.sendText({
      chat: annChat,
      from: ann,
      text: '/imagine first --steps 2',
    });
    await limited;

    const other = telegram.sendText({
      chat: bobChat,
      from: bob,
      text: '/imagine second --steps 2',
    });
    const otherReply = await other.reply();
    expect(telegram.chat(annChat.id).messages).toEqual([]);

    const pausedReply = await paused.reply();
    await Promise.all([
      waitForMessage(
        telegram,
        annChat.id,
        pausedReply.message_id,
        showsResult,
        'the paused chat’s result',
      ),
      waitForMessage(telegram, bobChat.id, otherReply.message_id, showsResult, 'the other result'),
    ]);
    expect(
      telegram.tooManyRequests.map(({ chatId, scripted, avoidable }) => ({
        chatId,
        scripted,
        avoidable,
      })),
    ).toEqual([
      { chatId: annChat.id, scripted: true, avoidable: false },
      { chatId: bobChat.id, scripted: true, avoidable: false },
    ]);
    // Both counted for the operator's metrics, through the platform's AppContext.metrics.
    expect(platform.metrics.rateLimits().get('telegram')).toBe(2);
  });

  it(
    '20 jobs in 5 chats at once: every result delivered, not one 429',
    { timeout: 180_000 },
    async () => {
      const { telegram } = await bots.start();
      const carol: UserInput = { id: 7003, first_name: 'Carol', username: 'carol' };
      const carolChat: ChatInput = { id: 7003, type: 'private' };
      const team: ChatInput = { id: -1007001, type: 'group', title: 'Team' };
      const chats: [ChatInput, UserInput[]][] = [
        [annChat, [ann]],
        [bobChat, [bob]],
        [carolChat, [carol]],
        [group, [ann, bob]],
        [team, [bob, carol]],
      ];
      const asked = chats.flatMap(([chat, people]) =>
        [0, 1, 2, 3].map((n) => {
          const from = people[n % people.length]!;
          const mention = chat.type === 'private' ? '' : `@${BOT}`;
          const text = `/imagine${mention} job ${n} in ${chat.id} --steps 2`;
          return { chat, sent: telegram.sendText({ chat, from, text }) };
        }),
      );
      const results = await Promise.all(
        asked.map(({ chat, sent }) =>
          waitForBotMessage(
            telegram,
            chat.id,
            (message: SentMessage) =>
              message.reply_to_message_id === sent.message!.message_id && showsResult(message),
            `the result for “${sent.message!.text}”`,
          ),
        ),
      );
      expect(results).toHaveLength(20);
      expect(new Set(results.map((result) => `${result.chat_id}:${result.message_id}`)).size).toBe(
        20,
      );
      expect(telegram.tooManyRequests).toEqual([]);
    },
  );
});

import { imagePlugin } from '@comfyrelay/plugin-image';
import { startRelayFixture, type RelayFixture } from '@comfyrelay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionCodec,
  buildResultMessage,
  MessageUpdater,
  RateLimitedError,
  type ChatTarget,
  type JobMessage,
} from '../src/index.js';
import { FakeChatAdapter } from '../src/testing.js';

describe('20 jobs at once from 5 users, on a real relay and the ComfyUI simulator', () => {
  let fixture: RelayFixture;
  beforeAll(async () => {
    fixture = await startRelayFixture({ plugins: [imagePlugin] });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('keeps every budget, delivers every result, and edits nothing after a result', async () => {
    const relay = fixture.relay;
    // Telegram's shape, ten times faster, so the budgets bite within a short test.
    const adapter = new FakeChatAdapter({
      platform: 'fake',
      editBudgets: {
        perMessage: { count: 5, perMs: 500 },
        perChat: { count: 1, perMs: 100 },
        perGroup: { count: 20, perMs: 6_000 },
        global: { count: 30, perMs: 100 },
      },
    });
    const codec = new ActionCodec();
    const updater = new MessageUpdater(relay, adapter, {
      codec,
      finalMessage: (record) =>
        buildResultMessage({
          readOutput: (output) => relay.readOutput(output),
          record,
          definition: relay.workflow(record.workflow!),
          rules: adapter.rules,
          uploadLimit: adapter.uploadLimit(),
          codec,
        }),
    });
    const users = ['ann', 'bob', 'cid', 'dee', 'eve'];
    const targets = new Map<string, ChatTarget>(
      users.map((user, i) => [
        user,
        { chatId: `chat-${user}`, ...(i >= 3 ? { isGroup: true } : {}) },
      ]),
    );
    // Bob's chat answers its first call with a 429 that holds it back for half a second.
    adapter.fail('chat-bob', new RateLimitedError(500, 'chat'));
    const jobs: { message: JobMessage; batch: number; user: string }[] = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const user = users[i % users.length]!;
        const batch = (i % 4) + 1;
        const handle = await relay.generate(
          'image.txt2img',
          { prompt: `job ${i} of ${user}`, width: 64, height: 64, steps: 8, batch_size: batch },
          { origin: { platform: 'fake', userId: user, chatId: targets.get(user)!.chatId } },
        );
        return {
          user,
          batch,
          message: updater.follow(handle, { target: targets.get(user)!, requester: `@${user}` }),
        };
      }),
    );
    const outcomes = await Promise.all(jobs.map(({ message }) => message.finished));

    expect(outcomes.map((outcome) => outcome.delivered)).toEqual(Array(20).fill(true));
    expect(adapter.violations).toEqual([]);
    expect(adapter.callsIn('chat-bob')[0]?.outcome).toBe('rate-limited');
    for (const { message, batch, user } of jobs) {
      const shown = adapter.messages.get(message.message()!.messageId)!;
      expect(shown.target.chatId).toBe(`chat-${user}`);
      const final = shown.history.at(-1)!;
      expect(final.text).toMatch(
        new RegExp(`^job \\d+ of ${user} - @${user}|^job \\d+ of ${user}\\n`),
      );
      expect(final.files).toHaveLength(1);
      expect(final.files[0]?.filename).toMatch(batch > 1 ? /^grid\.png$/ : /^txt2img_\d+_\.png$/);
      const picks = final.buttons.flat().filter((button) => /^U\d$/.test(button.label));
      expect(picks).toHaveLength(batch > 1 ? batch : 0);
      const later = adapter.calls.filter(
        (call) => call.messageId === shown.id && call.at > final.at,
      );
      expect(later).toEqual([]);
    }
    // One message a job: progress and result share it.
    for (const target of targets.values())
      expect(adapter.messagesIn(target.chatId)).toHaveLength(4);
    expect(updater.following).toBe(0);
  });
});

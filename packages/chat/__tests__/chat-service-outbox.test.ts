import { describe, expect, it } from 'vitest';
import { CallTimeoutError, RateLimitedError, type RateLimitNotice } from '../src/index.js';
import { FakeChatAdapter } from '../src/testing.js';
import { ann, bob, useChatBots } from './helpers/chatBot.js';

const { simulator, bot } = useChatBots();

/** One call per 100 ms in the room: a platform call made behind the outbox's back breaks it. */
const budgeted = () =>
  new FakeChatAdapter({ platform: 'fake', editBudgets: { perChat: { count: 1, perMs: 100 } } });

describe('every platform call of the service goes through the outbox', () => {
  it('a follow-up’s "Sending…" waits out a 429 and the budget; no "something went wrong"', async () => {
    const notices: RateLimitNotice[] = [];
    const { say, finalOf, press, adapter } = await bot(
      await simulator(),
      // The hook the apps give from the platform's metrics: every 429 is counted.
      { onRateLimited: (notice) => void notices.push(notice) },
      {
        adapter: budgeted(),
      },
    );
    const { opened } = await say(ann, 'imagine', 'a lighthouse --steps 2');
    await finalOf(opened!);
    const before = adapter.messages.size;
    adapter.fail('room', new RateLimitedError(200, 'chat'));
    await press(bob, opened!, /🔄/);
    await adapter.until(() => adapter.messages.size > before);
    const rerolled = [...adapter.messages.values()].at(-1)!;
    expect(rerolled.history[0]?.text).toBe('Sending it to ComfyUI…');
    const final = await finalOf({ target: rerolled.target, messageId: rerolled.id });
    expect(final.text).toContain('@bob');
    expect(adapter.answers.map((answer) => answer.text)).toEqual([undefined]);
    expect(adapter.callsIn('room').filter((call) => call.outcome === 'rate-limited')).toHaveLength(
      1,
    );
    expect(notices).toEqual([{ platform: 'fake', scope: 'chat', retryAfterMs: 200 }]);
    expect(adapter.violations).toEqual([]);
  });

  it('U-k and Delete wait out a 429 and the budget too', async () => {
    const { say, finalOf, press, adapter, service, relay } = await bot(
      await simulator(),
      {},
      {
        adapter: budgeted(),
      },
    );
    const { opened } = await say(ann, 'imagine', 'two foxes --steps 2 --batch_size 2');
    await finalOf(opened!);
    const before = adapter.messages.size;
    adapter.fail('room', new RateLimitedError(200, 'chat'));
    await press(ann, opened!, /^U2$/);
    await adapter.until(() => adapter.messages.size > before);
    const picked = [...adapter.messages.values()].at(-1)!;
    expect(picked.text).toBe('Image 2');

    // The requester deletes the result (a button some apps offer).
    const [record] = await relay.history({ limit: 1 });
    adapter.fail('room', new RateLimitedError(200, 'chat'));
    await service.press(
      {
        id: 'press-delete',
        token: service.codec.encode({ action: 'delete', jobId: record!.id }),
        userId: ann.userId,
        message: opened!,
      },
      ann,
      { chatId: 'room' },
    );
    expect(adapter.messages.get(opened!.messageId)?.deleted).toBe(true);
    expect(adapter.answers.every((answer) => answer.text === undefined)).toBe(true);
    expect(adapter.violations).toEqual([]);
  });

  it('gives platform calls the time the app allows (callTimeoutMs)', async () => {
    const { service, adapter } = await bot(await simulator(), { callTimeoutMs: 50 });
    const release = adapter.hold('slow');
    const outcome = await service.updater.outbox.send({ chatId: 'slow' }, { text: 'a big upload' });
    release();
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.error).toBeInstanceOf(CallTimeoutError);
    expect(outcome.status === 'failed' && String(outcome.error)).toMatch(/within 50 ms/);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallTimeoutError, ChatOutbox, type ChatTarget, type MessageRef } from '../src/index.js';
import { FakeChatAdapter } from '../src/testing.js';

const chat = (chatId: string, isGroup = false): ChatTarget => ({
  chatId,
  ...(isGroup ? { isGroup } : {}),
});

async function sent(
  adapter: FakeChatAdapter,
  target: ChatTarget,
  text = 'hello',
): Promise<MessageRef> {
  return adapter.send(target, { text });
}

describe('the chat outbox', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never goes over any budget the adapter declares', async () => {
    const adapter = new FakeChatAdapter({
      editBudgets: {
        perMessage: { count: 5, perMs: 5_000 },
        perChat: { count: 3, perMs: 1_000 },
        perGroup: { count: 20, perMs: 60_000 },
        global: { count: 4, perMs: 1_000 },
      },
    });
    const targets = [chat('a'), chat('b', true), chat('c', true)];
    const messages = await Promise.all(targets.map((target) => sent(adapter, target)));
    vi.advanceTimersByTime(60_000); // the sends above are out of every window
    const outbox = new ChatOutbox(adapter);
    const outcomes = messages.flatMap((ref) =>
      Array.from({ length: 30 }, (_, i) =>
        // Distinct keys: nothing coalesces, every call must wait its turn.
        outbox.submit({
          lane: ref.messageId,
          coalesceKey: `${ref.messageId}:${i}`,
          scope: () => ({ target: ref.target, messageId: ref.messageId }),
          run: () => adapter.edit(ref, { text: `edit ${i}` }),
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    const results = await Promise.all(outcomes);
    expect(results.every((result) => result.status === 'done')).toBe(true);
    expect(adapter.violations).toEqual([]);
    expect(adapter.calls.filter((call) => call.outcome !== 'ok')).toEqual([]);
    for (const ref of messages) expect(adapter.messages.get(ref.messageId)?.text).toBe('edit 29');
  });

  it('lets the latest edit of a message replace the ones still waiting', async () => {
    const adapter = new FakeChatAdapter({
      editBudgets: { perMessage: { count: 1, perMs: 1_000 } },
    });
    const ref = await sent(adapter, chat('a'));
    const outbox = new ChatOutbox(adapter);
    const first = outbox.edit(ref, { text: '0' });
    await vi.advanceTimersByTimeAsync(0); // it starts at once; the next ones wait for the budget
    const outcomes = [
      first,
      ...Array.from({ length: 9 }, (_, i) => outbox.edit(ref, { text: `${i + 1}` })),
    ];
    await vi.advanceTimersByTimeAsync(5_000);
    const statuses = (await Promise.all(outcomes)).map((outcome) => outcome.status);
    expect(statuses).toEqual(['done', ...Array(8).fill('superseded'), 'done']);
    expect(adapter.messages.get(ref.messageId)?.history.map((v) => v.text)).toEqual([
      'hello',
      '0',
      '9',
    ]);
  });

  it('pauses only the chat that answered 429, and retries it when it may', async () => {
    const adapter = new FakeChatAdapter();
    const [a, b] = [await sent(adapter, chat('a')), await sent(adapter, chat('b'))];
    adapter.rateLimit('a', 10_000);
    const outbox = new ChatOutbox(adapter);
    const forA = outbox.edit(a, { text: 'a1' });
    await vi.advanceTimersByTimeAsync(0);
    const forB = [1, 2, 3].map((i) => outbox.send(chat('b'), { text: `b${i}` }));
    await vi.advanceTimersByTimeAsync(0);
    expect((await Promise.all(forB)).map((o) => o.status)).toEqual(['done', 'done', 'done']);
    expect(adapter.callsIn('a').map((call) => call.outcome)).toEqual(['ok', 'rate-limited']);
    void b;
    await vi.advanceTimersByTimeAsync(9_999);
    expect(adapter.callsIn('a')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(await forA).toEqual({ status: 'done', value: undefined });
    expect(adapter.messages.get(a.messageId)?.text).toBe('a1');
  });

  it('tells its onRateLimited hook of every 429, and a hook that throws loses no call', async () => {
    const adapter = new FakeChatAdapter({ platform: 'fake' });
    const a = await sent(adapter, chat('a'));
    const notices: unknown[] = [];
    const outbox = new ChatOutbox(adapter, {
      onRateLimited: (notice) => {
        notices.push(notice);
        throw new Error('a broken metrics sink');
      },
    });
    adapter.rateLimit('a', 2_000);
    const edited = outbox.edit(a, { text: 'a1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(notices).toEqual([{ platform: 'fake', scope: 'chat', retryAfterMs: 2_000 }]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await edited).toEqual({ status: 'done', value: undefined });
    expect(notices).toHaveLength(1);
  });

  it('lets a slow call hold up only its own message, then frees it after the call timeout', async () => {
    const adapter = new FakeChatAdapter();
    const [a, b] = [await sent(adapter, chat('a')), await sent(adapter, chat('b'))];
    const outbox = new ChatOutbox(adapter, { callTimeoutMs: 15_000 });
    const release = adapter.hold('a');
    const slow = outbox.edit(a, { text: 'a1' });
    const fast = outbox.edit(b, { text: 'b1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(await fast).toMatchObject({ status: 'done' });
    await vi.advanceTimersByTimeAsync(15_000);
    const outcome = await slow;
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error).toBeInstanceOf(CallTimeoutError);
    release();
  });

  it('shows the latest edit again when an older, timed-out one lands after it', async () => {
    const adapter = new FakeChatAdapter();
    const ref = await sent(adapter, chat('a'));
    const outbox = new ChatOutbox(adapter, { callTimeoutMs: 1_000 });
    const release = adapter.holdNext('a');
    const older = outbox.edit(ref, { text: 'older' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await older).status).toBe('failed');
    expect(await outbox.edit(ref, { text: 'newer' })).toMatchObject({ status: 'done' });
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(adapter.messages.get(ref.messageId)?.history.map((v) => v.text)).toEqual([
      'hello',
      'newer',
      'older',
      'newer',
    ]);
  });

  it('sends finals before progress when the budget is short', async () => {
    const adapter = new FakeChatAdapter({ editBudgets: { global: { count: 1, perMs: 1_000 } } });
    const outbox = new ChatOutbox(adapter);
    const order: string[] = [];
    const call = (name: string, priority: 'final' | 'progress') =>
      outbox.submit({
        lane: name,
        priority,
        scope: () => ({ target: chat(name) }),
        run: async () => void order.push(name),
      });
    const all = [call('p1', 'progress'), call('p2', 'progress'), call('f1', 'final')];
    await vi.advanceTimersByTimeAsync(3_000);
    await Promise.all(all);
    expect(order).toEqual(['f1', 'p1', 'p2']);
    expect(adapter.violations).toEqual([]);
  });

  it('answers everything still waiting once closed', async () => {
    const adapter = new FakeChatAdapter({ editBudgets: { global: { count: 1, perMs: 60_000 } } });
    const outbox = new ChatOutbox(adapter);
    const first = outbox.send(chat('a'), { text: '1' });
    const second = outbox.send(chat('a'), { text: '2' });
    await vi.advanceTimersByTimeAsync(0);
    outbox.close();
    expect((await first).status).toBe('done');
    expect(await second).toEqual({ status: 'closed' });
    expect(await outbox.send(chat('a'), { text: '3' })).toEqual({ status: 'closed' });
  });
});

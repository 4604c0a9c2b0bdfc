import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MessageUpdater,
  RateLimitedError,
  type DeliveryJournal,
  type EditBudgets,
  type FinalOutcome,
  type JobMessage,
  type MessageRef,
} from '../src/index.js';
import { FakeChatAdapter, type FakeCall, type FakeMessage } from '../src/testing.js';
import { ScriptedRelay } from './helpers/ScriptedRelay.js';

/** Discord's as the app declares them: about one edit a second per message, 40 a second in all. */
const DISCORD: EditBudgets = {
  perMessage: { count: 5, perMs: 5_000 },
  global: { count: 40, perMs: 1_000 },
};

const preview = (n: number) => ({ mime: 'image/jpeg', data: Buffer.from(`preview ${n}`) });

function messageOf(adapter: FakeChatAdapter, job: JobMessage): FakeMessage {
  return adapter.messages.get(job.message()!.messageId)!;
}

/** The most calls on one message within any `perMs`. */
function busiestWindow(calls: readonly FakeCall[], perMs: number): number {
  let most = 0;
  for (const call of calls)
    most = Math.max(most, calls.filter((c) => c.at >= call.at && c.at < call.at + perMs).length);
  return most;
}

describe('a job’s final', () => {
  let relay: ScriptedRelay;
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    relay = new ScriptedRelay();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('goes out at once: progress leaves a slot of every window free for it', async () => {
    const adapter = new FakeChatAdapter({ editBudgets: DISCORD });
    const updater = new MessageUpdater(relay, adapter);
    const job = relay.job().started();
    const message = updater.follow(job.handle, { target: { chatId: 'ann' } });
    for (let step = 1; step <= 500; step++) {
      job.progress(step / 501, { step, stepTotal: 501 }); // 50 events a second for 10 s
      await vi.advanceTimersByTimeAsync(20);
    }
    const edits = adapter.calls.filter((call) => call.messageId === message.message()?.messageId);
    expect(busiestWindow(edits, 5_000)).toBe(4);

    job.succeed();
    await vi.advanceTimersByTimeAsync(0); // no time passes
    expect(messageOf(adapter, message).text).toMatch(/\nDone\n/);
    expect((await message.finished).delivered).toBe(true);
    const all = adapter.calls.filter((call) => call.messageId === message.message()?.messageId);
    expect(busiestWindow(all, 5_000)).toBe(5);
    expect(adapter.violations).toEqual([]);
  });

  it('of a failed or cancelled job drops the preview the message showed', async () => {
    const adapter = new FakeChatAdapter();
    const updater = new MessageUpdater(relay, adapter);
    const failing = relay.job().started();
    const failed = updater.follow(failing.handle, { target: { chatId: 'ann' } });
    failing.progress(0.4, { preview: preview(1) });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(messageOf(adapter, failed).files.map((file) => file.filename)).toEqual(['preview.jpeg']);
    failing.fail({ code: 'execution', message: 'out of memory' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await failed.finished).delivered).toBe(true);
    expect(messageOf(adapter, failed).text).toMatch(/Your generation failed/);
    expect(messageOf(adapter, failed).files).toEqual([]);

    const cancelling = relay.job().started();
    const cancelled = updater.follow(cancelling.handle, { target: { chatId: 'bob' } });
    cancelling.progress(0.4, { preview: preview(2) });
    await vi.advanceTimersByTimeAsync(1_000);
    cancelling.cancel();
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await cancelled.finished).delivered).toBe(true);
    expect(messageOf(adapter, cancelled).text).toMatch(/Cancelled/);
    expect(messageOf(adapter, cancelled).files).toEqual([]);
  });
});

describe('settle: a graceful stop lets the finals on their way be shown', () => {
  let relay: ScriptedRelay;
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    relay = new ScriptedRelay();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves once every final in flight is shown, not for jobs still running', async () => {
    const adapter = new FakeChatAdapter();
    const updater = new MessageUpdater(relay, adapter);
    const running = relay.job().started();
    updater.follow(running.handle, { target: { chatId: 'bob' } });
    const ending = relay.job().started();
    const message = updater.follow(ending.handle, { target: { chatId: 'ann' } });
    await vi.advanceTimersByTimeAsync(0);
    const release = adapter.hold('ann');
    ending.succeed();
    let settled = false;
    void updater.settle(60_000).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
    expect((await message.finished).delivered).toBe(true);
  });

  it('waits for finals that end while it waits, and gives up when the time is up', async () => {
    const adapter = new FakeChatAdapter();
    const updater = new MessageUpdater(relay, adapter);
    const first = relay.job().started();
    const second = relay.job().started();
    updater.follow(first.handle, { target: { chatId: 'ann' } });
    updater.follow(second.handle, { target: { chatId: 'ann' } });
    await vi.advanceTimersByTimeAsync(0);
    adapter.fail('ann', new RateLimitedError(120_000, 'chat'));
    first.succeed();
    let settled = false;
    void updater.settle(10_000).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    second.succeed();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(updater.following).toBe(2);
  });
});

describe('the journal a restart reads back', () => {
  it('is told where a job moved and that its final was shown', async () => {
    const relay = new ScriptedRelay();
    const adapter = new FakeChatAdapter({ replacesTextWithMedia: true });
    const told: [string, MessageRef | FinalOutcome][] = [];
    const journal: DeliveryJournal = {
      moved: (_, message) => void told.push(['moved', message]),
      ended: (_, outcome) => void told.push(['ended', outcome]),
    };
    const updater = new MessageUpdater(relay, adapter, { journal });
    const text = await adapter.send({ chatId: 'ann' }, { text: 'Sending…' });
    const job = relay.job().started();
    const message = updater.follow(job.handle, { target: { chatId: 'ann' }, message: text });
    job.progress(0.5, { preview: preview(1) });
    await adapter.until(() => adapter.messagesIn('ann').some((shown) => shown.files.length > 0));
    job.succeed();
    await message.finished;
    const now = message.message()!;
    expect(now.messageId).not.toBe(text.messageId);
    expect(adapter.messages.get(text.messageId)?.deleted).toBe(true);
    expect(told).toEqual([
      ['moved', now],
      ['ended', { shown: true, message: now }],
    ]);
  });
});

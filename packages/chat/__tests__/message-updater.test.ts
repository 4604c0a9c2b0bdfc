import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ActionCodec,
  MessageUpdater,
  type ChatTarget,
  type EditBudgets,
  type JobMessage,
} from '../src/index.js';
import { FakeChatAdapter, type FakeMessage } from '../src/testing.js';
import { ScriptedRelay, type ScriptedJob } from './helpers/ScriptedRelay.js';

/** Telegram's published limits: 1 message a second per chat, 20 a minute per group, 30 a second. */
const TELEGRAM: EditBudgets = {
  perMessage: { count: 5, perMs: 5_000 },
  perChat: { count: 1, perMs: 1_000 },
  perGroup: { count: 20, perMs: 60_000 },
  global: { count: 30, perMs: 1_000 },
};

const target = (chatId: string, isGroup = false): ChatTarget => ({
  chatId,
  ...(isGroup ? { isGroup } : {}),
});

function messageOf(adapter: FakeChatAdapter, job: JobMessage): FakeMessage {
  const ref = job.message();
  if (!ref) throw new Error(`job ${job.id} has no message`);
  return adapter.messages.get(ref.messageId)!;
}

/** Every message of the job ends with its final, and nothing was sent after it. */
function expectEndsWithFinal(adapter: FakeChatAdapter, job: JobMessage, final: RegExp): void {
  const message = messageOf(adapter, job);
  expect(message.text).toMatch(final);
  const last = message.history.at(-1)!;
  expect(last.text).toMatch(final);
  const after = adapter.calls.filter((call) => call.messageId === message.id && call.at > last.at);
  expect(after).toEqual([]);
}

describe('the message updater', () => {
  let relay: ScriptedRelay;
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    relay = new ScriptedRelay();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the job’s message, edits it as it goes, and ends it with the final', async () => {
    const adapter = new FakeChatAdapter({ editBudgets: TELEGRAM });
    const updater = new MessageUpdater(relay, adapter, { codec: new ActionCodec() });
    const job = relay.job().queued(2);
    const message = updater.follow(job.handle, { target: target('ann'), requester: '@ann' });
    await vi.advanceTimersByTimeAsync(0);
    expect(messageOf(adapter, message).text).toBe(
      'a red fox - @ann\n2 generations are ahead of yours',
    );
    expect(messageOf(adapter, message).buttons[0]?.[0]?.label).toBe('Cancel');
    job.started().progress(0.5, { step: 10, stepTotal: 20, etaMs: 12_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(messageOf(adapter, message).text).toBe(
      'a red fox - @ann\nSampling\n▰▰▰▰▱▱▱▱ 50 % · step 10/20 · about 10 s left · 1 s so far',
    );
    job.succeed();
    await vi.advanceTimersByTimeAsync(1_000);
    const outcome = await message.finished;
    expect(outcome.delivered).toBe(true);
    expectEndsWithFinal(adapter, message, /\nDone\n/);
    expect(messageOf(adapter, message).buttons).toEqual([]);
    expect(relay.subscribers(job.id)).toBe(0);
    expect(adapter.violations).toEqual([]);
  });

  it('shows only the latest of many events, within the message’s budget', async () => {
    const adapter = new FakeChatAdapter({ editBudgets: TELEGRAM });
    const updater = new MessageUpdater(relay, adapter);
    const job = relay.job().started();
    const message = updater.follow(job.handle, { target: target('ann') });
    for (let step = 1; step <= 100; step++) {
      job.progress(step / 100, { step, stepTotal: 100 });
      await vi.advanceTimersByTimeAsync(50); // 20 events a second
    }
    job.succeed();
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await message.finished).delivered).toBe(true);
    const history = messageOf(adapter, message).history;
    expect(history.length).toBeLessThanOrEqual(8); // the send, one edit a second, the final
    expect(adapter.violations).toEqual([]);
    expectEndsWithFinal(adapter, message, /Done/);
  });

  it('keeps every other chat moving while one answers 429 for 10 s', async () => {
    const adapter = new FakeChatAdapter({ editBudgets: TELEGRAM });
    const updater = new MessageUpdater(relay, adapter);
    const users = ['ann', 'bob', 'cid', 'dee', 'eve'];
    const jobs: { job: ScriptedJob; message: JobMessage; user: string }[] = [];
    for (const user of users)
      for (let n = 0; n < 4; n++) {
        const job = relay.job({ prompt: `${user} ${n}` }).queued(n);
        jobs.push({
          job,
          user,
          message: updater.follow(job.handle, { target: target(user, user === 'eve') }),
        });
      }
    adapter.rateLimit('ann', 10_000);
    for (let tick = 1; tick <= 5; tick++) {
      for (const { job } of jobs) job.progress(tick / 5);
      await vi.advanceTimersByTimeAsync(200);
    }
    for (const { job } of jobs) job.succeed();
    // Four jobs a chat at one message a second: every other chat is done within seconds.
    await vi.advanceTimersByTimeAsync(8_000);
    for (const { message, user } of jobs.filter((j) => j.user !== 'ann')) {
      expect(message.message(), user).toBeDefined();
      expectEndsWithFinal(adapter, message, /Done/);
    }
    // The paused chat was asked once, then left alone until its pause ended.
    expect(adapter.callsIn('ann').map((call) => call.outcome)).toEqual(['rate-limited']);
    await vi.advanceTimersByTimeAsync(10_000);
    const outcomes = await Promise.all(jobs.map(({ message }) => message.finished));
    expect(outcomes.every((outcome) => outcome.delivered)).toBe(true);
    for (const { message } of jobs) expectEndsWithFinal(adapter, message, /Done/);
    expect(adapter.violations).toEqual([]);
    expect(updater.following).toBe(0);
  });

  it('shows the final even when the platform fails, trying again and then as a new message', async () => {
    const adapter = new FakeChatAdapter({ editBudgets: TELEGRAM });
    const updater = new MessageUpdater(relay, adapter);
    const job = relay.job().started();
    const message = updater.follow(job.handle, { target: target('ann') });
    await vi.advanceTimersByTimeAsync(0);
    const first = message.message()!;
    adapter.fail('ann', new Error('500'), new Error('502'), new Error('503'), new Error('504'));
    job.fail({
      code: 'execution',
      message: 'KSampler (node 3) failed: out of memory',
      node: '3',
      nodeClass: 'KSampler',
    });
    await vi.advanceTimersByTimeAsync(60_000);
    const outcome = await message.finished;
    expect(outcome.delivered).toBe(true);
    expect(message.message()?.messageId).not.toBe(first.messageId);
    expect(messageOf(adapter, message).text).toBe(
      'a red fox\nYour generation failed in KSampler (node 3): out of memory.',
    );
  });

  it('never misses the end of a job that finished before it was followed', async () => {
    const adapter = new FakeChatAdapter();
    const updater = new MessageUpdater(relay, adapter);
    const job = relay.job().started().succeed();
    const message = updater.follow(job.handle, { target: target('ann') });
    await vi.advanceTimersByTimeAsync(0);
    expect((await message.finished).delivered).toBe(true);
    expect(adapter.messagesIn('ann')).toHaveLength(1);
    expect(messageOf(adapter, message).history.map((v) => v.text)).toEqual([
      'a red fox\nDone\n▰▰▰▰▰▰▰▰ 100 % · 0 s',
    ]);
  });

  it('edits a message it was given instead of sending one, and replaces it with the result’s media', async () => {
    const adapter = new FakeChatAdapter();
    const ref = await adapter.send(target('ann'), { text: 'Thinking…' });
    const updater = new MessageUpdater(relay, adapter, {
      finalMessage: async () => ({
        text: 'a red fox',
        files: [
          { data: Buffer.from('png'), mime: 'image/png', filename: 'fox.png', kind: 'image' },
        ],
      }),
    });
    const job = relay.job().started();
    const message = updater.follow(job.handle, { target: target('ann'), message: ref });
    job.progress(0.3, { preview: { mime: 'image/jpeg', data: Buffer.from('jpeg') } });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(messageOf(adapter, message).files.map((f) => f.filename)).toEqual(['preview.jpeg']);
    job.succeed();
    await vi.advanceTimersByTimeAsync(1_000);
    await message.finished;
    expect(adapter.messagesIn('ann')).toHaveLength(1);
    expect(messageOf(adapter, message).files.map((f) => f.filename)).toEqual(['fox.png']);
  });

  it('never lets a slow platform hold up the relay or the other jobs', async () => {
    const adapter = new FakeChatAdapter();
    const updater = new MessageUpdater(relay, adapter);
    const release = adapter.hold('slow');
    const slowJob = relay.job().started();
    const fastJob = relay.job().started();
    const slow = updater.follow(slowJob.handle, { target: target('slow') });
    const fast = updater.follow(fastJob.handle, { target: target('fast') });
    for (let i = 1; i <= 50; i++) {
      slowJob.progress(i / 50); // published synchronously: the sink never answers with a promise
      fastJob.progress(i / 50);
    }
    fastJob.succeed();
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await fast.finished).delivered).toBe(true);
    expect(slow.message()).toBeUndefined();
    slowJob.succeed();
    release();
    await vi.advanceTimersByTimeAsync(20_000);
    expect((await slow.finished).delivered).toBe(true);
    expectEndsWithFinal(adapter, slow, /Done/);
  });
});

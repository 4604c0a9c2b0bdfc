import { InMemoryGenerationStore } from '@comfyrelay/core';
import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../src/index.js';
import { FakeChatAdapter } from '../src/testing.js';
import { ann, useChatBots, WatchedSettingsStore, type BotWorld } from './helpers/chatBot.js';

const { simulator, bot } = useChatBots();

/** What a data directory and the platform keep across a restart of the bot. */
function world(adapter = new FakeChatAdapter({ platform: 'fake' })) {
  return {
    store: new InMemoryGenerationStore(),
    settings: new WatchedSettingsStore(),
    adapter,
  } satisfies BotWorld;
}

describe('a restart (same store, same settings, same chat)', () => {
  it('edits the message a platform replaced the job’s message with, not the deleted one', async () => {
    const sim = await simulator();
    // Like Telegram: a text message cannot take a picture, so the first preview replaces it.
    const kept = world(new FakeChatAdapter({ platform: 'fake', replacesTextWithMedia: true }));
    const { adapter, settings } = kept;
    const first = await bot(sim, {}, kept);
    sim.once('step', () => sim.setStepDelay(60_000));
    const { opened } = await first.say(ann, 'imagine', 'across the restart --steps 4');
    const [job] = first.relay.active();
    await settings.noted(job!.id, 'moved');
    const replacement = adapter.messagesIn('room').find((message) => !message.deleted)!;
    expect(replacement.id).not.toBe(opened!.messageId);
    expect(adapter.messages.get(opened!.messageId)?.deleted).toBe(true);
    await first.stop();

    const second = await bot(sim, {}, kept);
    sim.setStepDelay(1);
    const final = await second.finalOf({ target: replacement.target, messageId: replacement.id });
    expect(final.files).toHaveLength(1);
    expect(final.text).toContain('across the restart');
    expect(adapter.messagesIn('room').filter((message) => !message.deleted)).toHaveLength(1);
  });

  it('shows a result that finished while its final was on its way, once', async () => {
    const sim = await simulator();
    const kept = world();
    const { adapter, settings } = kept;
    const first = await bot(sim, {}, kept);
    sim.holdExecution();
    const { opened } = await first.say(ann, 'imagine', 'finished at the stop --steps 2');
    const [job] = first.relay.active();
    // The chat answers 429 for a minute: the final cannot be shown before the bot stops.
    adapter.fail('room', new RateLimitedError(60_000, 'chat'));
    sim.releaseExecution();
    const finished = await first.relay.handle(job!.id)!.done;
    expect(finished.status).toBe('succeeded');
    await first.service.settle(0);
    await first.stop();
    expect(adapter.messages.get(opened!.messageId)?.files).toEqual([]);

    const second = await bot(sim, {}, kept);
    const final = await second.finalOf(opened!);
    expect(final.files).toHaveLength(1);
    expect(final.text).toContain('finished at the stop');
    await settings.noted(job!.id, 'final');
    const calls = adapter.calls.length;
    await second.stop();

    const third = await bot(sim, {}, kept);
    expect(third.service.updater.following).toBe(0);
    expect(adapter.calls.length).toBe(calls);
    expect(adapter.messagesIn('room')).toHaveLength(1);
  });

  it('leaves alone results whose final was shown before the stop', async () => {
    const sim = await simulator();
    const kept = world();
    const first = await bot(sim, {}, kept);
    const { opened } = await first.say(ann, 'imagine', 'shown before --steps 2');
    const [job] = first.relay.active();
    await first.finalOf(opened!);
    await kept.settings.noted(job!.id, 'final');
    await first.stop();
    const calls = kept.adapter.calls.length;

    const second = await bot(sim, {}, kept);
    expect(second.service.updater.following).toBe(0);
    expect(kept.adapter.calls.length).toBe(calls);
  });
});

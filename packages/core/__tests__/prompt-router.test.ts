import { describe, expect, it, vi } from 'vitest';
import { PromptRouter, type PromptSink } from '../src/router/PromptRouter.js';
import type { ComfyMessage, PreviewImage, PromptMessage } from '../src/protocol/messages.js';

function recordingSink() {
  const messages: PromptMessage[] = [];
  const previews: PreviewImage[] = [];
  const sink: PromptSink = {
    handle: (m) => messages.push(m),
    handlePreview: (p) => previews.push(p),
  };
  return { sink, messages, previews };
}

const start = (id: string): ComfyMessage => ({ type: 'execution_start', data: { prompt_id: id } });
const progress = (id: string | undefined, value: number): ComfyMessage => ({
  type: 'progress',
  data: { value, max: 10, node: '3', ...(id ? { prompt_id: id } : {}) },
});

describe('PromptRouter', () => {
  it('delivers each message only to the generation that owns its prompt_id', () => {
    const router = new PromptRouter();
    const a = recordingSink();
    const b = recordingSink();
    router.register('a', a.sink);
    router.register('b', b.sink);
    router.route(start('a'));
    router.route(progress('a', 1));
    router.route(progress('b', 7));
    expect(a.messages.map((m) => m.type)).toEqual(['execution_start', 'progress']);
    expect(b.messages).toHaveLength(1);
    expect((b.messages[0]?.data as { value: number }).value).toBe(7);
  });

  it('holds messages that arrive before their prompt is registered and replays them in order', () => {
    const router = new PromptRouter();
    router.route(start('early'));
    router.route(progress('early', 1));
    expect(router.heldCount).toBe(1);
    const sink = recordingSink();
    router.register('early', sink.sink);
    expect(sink.messages.map((m) => m.type)).toEqual(['execution_start', 'progress']);
    expect(router.heldCount).toBe(0);
  });

  it('forgets held messages nobody claims after the hold time', () => {
    vi.useFakeTimers();
    try {
      const router = new PromptRouter({ holdMs: 1_000 });
      router.route(start('orphan'));
      vi.advanceTimersByTime(2_000);
      router.route(start('other'));
      expect(router.heldCount).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends id-less messages (a reconnect executing, event-1 previews) to the running prompt', () => {
    const router = new PromptRouter();
    const running = recordingSink();
    const waiting = recordingSink();
    router.register('run', running.sink);
    router.register('wait', waiting.sink);
    router.route(start('run'));
    router.route({ type: 'executing', data: { node: '3' } });
    router.routePreview({ mime: 'image/jpeg', data: Buffer.from([1]) });
    expect(running.messages.map((m) => m.type)).toEqual(['execution_start', 'executing']);
    expect(running.previews).toHaveLength(1);
    expect(waiting.messages).toHaveLength(0);
  });

  it('routes an event-4 preview by its own prompt_id, whoever runs', () => {
    const router = new PromptRouter();
    const a = recordingSink();
    const b = recordingSink();
    router.register('a', a.sink);
    router.register('b', b.sink);
    router.route(start('a'));
    router.routePreview({ mime: 'image/png', data: Buffer.from([1]), promptId: 'b' });
    expect(b.previews).toHaveLength(1);
    expect(a.previews).toHaveLength(0);
  });

  it('clears the running prompt on executing null and hands status to its listener', () => {
    const statuses: number[] = [];
    const router = new PromptRouter({
      onStatus: (m) => statuses.push(m.data.status.exec_info.queue_remaining),
    });
    router.register('a', recordingSink().sink);
    router.route(start('a'));
    router.route({ type: 'executing', data: { node: null, prompt_id: 'a' } });
    expect(router.runningPromptId).toBeUndefined();
    router.route({ type: 'status', data: { status: { exec_info: { queue_remaining: 4 } } } });
    expect(statuses).toEqual([4]);
  });
});

describe('PromptRouter after a prompt is released', () => {
  it('drops the late messages of a released prompt instead of holding them', () => {
    const router = new PromptRouter();
    router.register('done', recordingSink().sink);
    router.unregister('done');
    router.route({ type: 'executing', data: { node: null, prompt_id: 'done' } });
    expect(router.heldCount).toBe(0);
    expect(router.releasedCount).toBe(1);
  });

  it('forgets released prompts after the hold time, so memory stays flat', () => {
    vi.useFakeTimers();
    try {
      const router = new PromptRouter({ holdMs: 1_000 });
      for (let i = 0; i < 100; i++) {
        router.register(`p${i}`, recordingSink().sink);
        router.unregister(`p${i}`);
      }
      vi.advanceTimersByTime(2_000);
      router.register('next', recordingSink().sink);
      router.unregister('next');
      expect(router.releasedCount).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

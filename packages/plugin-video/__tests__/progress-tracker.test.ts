import { describe, expect, it } from 'vitest';
import type { ApiWorkflow, Progress, PromptMessage } from '@comfyrelay/core';
import { textToVideo, VideoProgressInterpreter } from '../src/index.js';

const promptId = 'p';

/** The shipped text-to-video graph with an uneven hand-over: 3 high-noise steps, then 7 low-noise ones. */
function unevenGraph(): ApiWorkflow {
  const graph = structuredClone(textToVideo.template);
  Object.assign(graph['57']!.inputs, { steps: 10, start_at_step: 0, end_at_step: 3 });
  Object.assign(graph['58']!.inputs, { steps: 10, start_at_step: 3, end_at_step: 10000 });
  return graph;
}

const start = (): PromptMessage => ({ type: 'execution_start', data: { prompt_id: promptId } });
const cached = (nodes: string[]): PromptMessage => ({
  type: 'execution_cached',
  data: { prompt_id: promptId, nodes },
});
const executing = (node: string): PromptMessage => ({
  type: 'executing',
  data: { node, prompt_id: promptId },
});
const progress = (node: string, value: number, max: number): PromptMessage => ({
  type: 'progress',
  data: { node, value, max, prompt_id: promptId },
});
const executed = (node: string): PromptMessage => ({
  type: 'executed',
  data: { node, output: { images: [] }, prompt_id: promptId },
});

const setupNodes = ['37', '56', '38', '39', '54', '55', '6', '7'];

describe('VideoProgressInterpreter', () => {
  it('weights both samplers by their steps, keeps decode and encode below 1, and takes the ETA from the step rate', () => {
    const tracker = new VideoProgressInterpreter().track(unevenGraph());
    const seen: Progress[] = [];
    const feed = (message: PromptMessage, now: number) => {
      const next = tracker.onMessage(message, now);
      if (next) seen.push(next);
      return next;
    };

    feed(start(), 0);
    expect(feed(cached(setupNodes), 1)).toMatchObject({ fraction: 0 });
    expect(feed(executing('59'), 10)).toMatchObject({ phase: 'preparing', fraction: 0 });
    const firstPass = feed(executing('57'), 20);
    expect(firstPass).toMatchObject({
      phase: 'sampling 0/3 (pass 1 of 2)',
      node: '57',
      nodeClass: 'KSamplerAdvanced',
    });
    expect(firstPass?.etaMs).toBeUndefined();

    // The first step's time holds model loading: no rate yet.
    expect(feed(progress('57', 1, 3), 1_020)).toMatchObject({
      step: 1,
      stepTotal: 3,
      phase: 'sampling 1/3 (pass 1 of 2)',
    });
    expect(seen.at(-1)?.etaMs).toBeUndefined();
    expect(seen.at(-1)?.fraction).toBeCloseTo(0.8 * (1 / 10));
    // 100 ms per step, 8 steps left over both passes.
    expect(feed(progress('57', 2, 3), 1_120)).toMatchObject({ etaMs: 800 });
    expect(feed(progress('57', 3, 3), 1_220)).toMatchObject({ etaMs: 700 });
    expect(seen.at(-1)?.fraction).toBeCloseTo(0.8 * (3 / 10));

    // The low-noise model loads before its first step: that pause is not a step.
    expect(feed(executing('58'), 1_300)).toMatchObject({
      phase: 'sampling 0/7 (pass 2 of 2)',
      etaMs: 700,
    });
    expect(feed(progress('58', 1, 7), 3_300)).toMatchObject({ etaMs: 600 });
    expect(seen.at(-1)?.fraction).toBeCloseTo(0.8 * (4 / 10));
    // A slower step: (100 + 100 + 200) / 3 ms per step, 5 left.
    expect(feed(progress('58', 2, 7), 3_500)).toMatchObject({ etaMs: 667 });
    let now = 3_500;
    for (let value = 3; value <= 7; value++) feed(progress('58', value, 7), (now += 100));
    const sampled = seen.at(-1)!;
    expect(sampled.fraction).toBeCloseTo(0.8);
    expect(sampled.etaMs).toBeUndefined();

    const decoding = feed(executing('8'), (now += 10))!;
    expect(decoding).toMatchObject({ phase: 'decoding', nodeClass: 'VAEDecode' });
    expect(decoding.step).toBeUndefined();
    expect(decoding.fraction).toBeCloseTo(0.8);

    const creating = feed(executing('60'), (now += 500))!;
    expect(creating).toMatchObject({ phase: 'encoding video' });
    expect(creating.fraction).toBeCloseTo(0.9);
    const saving = feed(executing('61'), (now += 10))!;
    expect(saving).toMatchObject({ phase: 'encoding video', nodeClass: 'SaveVideo' });
    expect(saving.fraction).toBeGreaterThan(0.9);
    expect(saving.fraction).toBeLessThan(1);
    // The file is written, but the generation has not succeeded yet.
    expect(feed(executed('61'), (now += 300))!.fraction).toBe(0.99);

    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
    expect(seen.every((p) => p.fraction < 1)).toBe(true);
    expect(tracker.complete()).toEqual({ fraction: 1, phase: 'done' });
  });

  it('counts cached nodes as done, a cached first pass included', () => {
    const tracker = new VideoProgressInterpreter().track(unevenGraph());
    tracker.onMessage(start(), 0);
    const afterCache = tracker.onMessage(cached([...setupNodes, '59', '57']), 1)!;
    expect(afterCache.fraction).toBeCloseTo(0.8 * (3 / 10));
    tracker.onMessage(executing('58'), 2);
    tracker.onMessage(progress('58', 1, 7), 50);
    expect(tracker.onMessage(progress('58', 2, 7), 250)).toMatchObject({
      etaMs: 1_000,
      phase: 'sampling 2/7 (pass 2 of 2)',
    });
    expect(tracker.current().fraction).toBeCloseTo(0.8 * (5 / 10));
  });

  it('moves within the encode share while the saving node reports its own progress', () => {
    const tracker = new VideoProgressInterpreter({ sampling: 0.6, decode: 0.2, encode: 0.2 }).track(
      unevenGraph(),
    );
    tracker.onMessage(cached([...setupNodes, '59', '57', '58', '8', '60']), 0);
    const before = tracker.current().fraction;
    expect(before).toBeCloseTo(0.6 + 0.2 + 0.2 * (0.25 / 1.25));
    tracker.onMessage(executing('61'), 1);
    const halfway = tracker.onMessage(progress('61', 40, 80), 2)!;
    expect(halfway.phase).toBe('encoding video 40/80');
    expect(halfway.fraction).toBeCloseTo(before + 0.2 * (0.5 / 1.25));
  });

  it('keeps the latest preview until the generation is done', () => {
    const tracker = new VideoProgressInterpreter().track(unevenGraph());
    tracker.onMessage(executing('57'), 0);
    tracker.onPreview({ mime: 'image/png', data: Buffer.from('first') }, 1);
    tracker.onPreview({ mime: 'image/png', data: Buffer.from('second') }, 2);
    const next = tracker.onMessage(progress('57', 1, 3), 3)!;
    expect(next.preview?.data.toString()).toBe('second');
    expect(tracker.complete().preview).toBeUndefined();
  });

  it('refuses negative weights', () => {
    expect(() => new VideoProgressInterpreter({ decode: -1 })).toThrow(/decode must be ≥ 0/);
  });
});

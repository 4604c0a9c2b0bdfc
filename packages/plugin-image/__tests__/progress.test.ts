import type { Progress, RelayEvent } from '@comfyrelay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedImage, startImageFixture, type ImageFixture } from './helpers/imageFixture.js';
import { solidPng } from './helpers/png.js';

/** Every progress value of one generation, up to and including its terminal event. */
async function progressOf(
  fixture: ImageFixture,
  id: string,
): Promise<{ values: Progress[]; events: RelayEvent[] }> {
  await fixture.event((event) => event.type === 'succeeded' && event.id === id);
  const events = fixture.eventsOf(id);
  const values = events.flatMap((event) => (event.type === 'progress' ? [event.progress] : []));
  return { values, events };
}

function expectMonotonicToOne(values: Progress[], events: RelayEvent[]): void {
  const fractions = values.map((progress) => progress.fraction);
  expect(fractions.length).toBeGreaterThan(3);
  for (let i = 1; i < fractions.length; i++)
    expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]!);
  // 1 only once, at the very end, and only after ComfyUI said success.
  expect(fractions.at(-1)).toBe(1);
  expect(fractions.slice(0, -1).every((fraction) => fraction < 1)).toBe(true);
  expect(values.at(-1)?.phase).toBe('done');
  const types = events.map((event) => event.type);
  expect(types.at(-1)).toBe('succeeded');
  expect(types.lastIndexOf('progress')).toBe(types.length - 2);
}

describe('progress: one fraction across every sampling node, weighted by steps', () => {
  let fixture: ImageFixture;
  beforeAll(async () => {
    fixture = await startImageFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('one pass (txt2img): monotonic, phases in words, 1 only at the end', async () => {
    const generation = await fixture.relay.generate('image.txt2img', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 6,
    });
    const { values, events } = await progressOf(fixture, generation.id);
    expectMonotonicToOne(values, events);
    const phases = values.map((progress) => progress.phase);
    expect(phases).toContain('loading model');
    expect(phases).toContain('sampling 3/6');
    expect(phases).toContain('decoding');
    const lastStep = values.find((progress) => progress.phase === 'sampling 6/6');
    expect(lastStep?.fraction).toBeCloseTo(0.95, 5);
    expect(values.some((progress) => progress.etaMs !== undefined)).toBe(true);
    await finishedImage(fixture, generation);
  });

  it('two passes (hires): the first pass fills its share of the steps, the second the rest', async () => {
    const generation = await fixture.relay.generate('image.hires', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 6,
      hires_steps: 4,
      seed: 5,
    });
    const { values, events } = await progressOf(fixture, generation.id);
    expectMonotonicToOne(values, events);
    const endOfFirst = values.find(
      (progress) => progress.node === '3' && progress.phase === 'sampling 6/6',
    );
    expect(endOfFirst?.fraction).toBeCloseTo((6 / 10) * 0.95, 5);
    const secondPass = values.filter(
      (progress) => progress.node === '11' && progress.step !== undefined,
    );
    // Previews repeat the current step, so each phase may appear more than once.
    expect([...new Set(secondPass.map((progress) => progress.phase))]).toEqual([
      'sampling 1/4',
      'sampling 2/4',
      'sampling 3/4',
      'sampling 4/4',
    ]);
    expect(secondPass.at(-1)?.fraction).toBeCloseTo(0.95, 5);
    expect(values.map((progress) => progress.phase)).toContain('upscaling');
    await finishedImage(fixture, generation);
  });

  it('a cached first pass counts as done', async () => {
    // Same prompt, model, size and seed as before: only the second pass differs, so ComfyUI reuses the first.
    const generation = await fixture.relay.generate('image.hires', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 6,
      hires_steps: 4,
      seed: 5,
      hires_denoise: 0.3,
    });
    const { values, events } = await progressOf(fixture, generation.id);
    expectMonotonicToOne(values, events);
    expect(values.some((progress) => progress.node === '3' && progress.step !== undefined)).toBe(
      false,
    );
    const firstSecondPassStep = values.find(
      (progress) => progress.node === '11' && progress.step === 1,
    );
    expect(firstSecondPassStep?.fraction).toBeCloseTo((7 / 10) * 0.95, 5);
    await finishedImage(fixture, generation);
  });

  it('flux: the steps of SamplerCustomAdvanced are read from its scheduler', async () => {
    const generation = await fixture.relay.generate('image.flux', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 4,
    });
    const { values, events } = await progressOf(fixture, generation.id);
    expectMonotonicToOne(values, events);
    expect(values.find((progress) => progress.phase === 'sampling 2/4')?.fraction).toBeCloseTo(
      0.475,
      5,
    );
    expect(values.find((progress) => progress.phase === 'sampling 4/4')?.fraction).toBeCloseTo(
      0.95,
      5,
    );
    await finishedImage(fixture, generation);
  });

  it('upscale (no sampler): the bar still moves with the upscaler and the resize', async () => {
    const generation = await fixture.relay.generate('image.upscale', {
      image: { data: solidPng(32, 32), filename: 'p.png' },
    });
    const { values, events } = await progressOf(fixture, generation.id);
    const fractions = values.map((progress) => progress.fraction);
    for (let i = 1; i < fractions.length; i++)
      expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.slice(0, -1).every((fraction) => fraction < 1)).toBe(true);
    expect(new Set(fractions.slice(0, -1)).size).toBeGreaterThan(1);
    expect(values.map((progress) => progress.phase)).toEqual(
      expect.arrayContaining(['upscaling', 'resizing']),
    );
    expect(events.at(-1)?.type).toBe('succeeded');
    await finishedImage(fixture, generation);
  });
});

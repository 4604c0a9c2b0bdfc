import type { Progress, RelayEvent } from '@comfyrelay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedImage, startImageFixture, type ImageFixture } from './helpers/imageFixture.js';
import { solidPng } from '@comfyrelay/testkit';

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

/**
 * Every sampling step that was published must sit where the step weighting puts it. Steps read in
 * one socket chunk publish once (the last wins), so which steps appear is not fixed: check each
 * one that does, and that some did.
 */
function expectStepFractions(
  values: Progress[],
  node: string,
  total: number,
  at: (step: number) => number,
): void {
  const steps = values.filter(
    (progress) =>
      progress.node === node && progress.stepTotal === total && progress.step !== undefined,
  );
  expect(steps.length).toBeGreaterThan(0);
  for (const progress of steps) expect(progress.fraction).toBeCloseTo(at(progress.step!), 5);
}

function expectMonotonicToOne(values: Progress[], events: RelayEvent[]): void {
  const fractions = values.map((progress) => progress.fraction);
  expect(fractions.length).toBeGreaterThan(1);
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
    const generation = await fixture.generate('image.txt2img', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 6,
    });
    const { values, events } = await progressOf(fixture, generation.id);
    expectMonotonicToOne(values, events);
    const phases = values.map((progress) => progress.phase);
    // Nodes that run within one socket read publish once, so not every phase is seen: each seen
    // phase must be one of the words the interpreter uses.
    expect(
      phases.every((phase) =>
        /^(starting|preparing|loading model|encoding prompt|sampling( [1-6]\/6)?|decoding|saving|done)$/.test(
          phase,
        ),
      ),
    ).toBe(true);
    expect(phases.some((phase) => /^sampling [1-6]\/6$/.test(phase))).toBe(true);
    expectStepFractions(values, '3', 6, (step) => (step / 6) * 0.95);
    await finishedImage(fixture, generation);
  });

  it('two passes (hires): the first pass fills its share of the steps, the second the rest', async () => {
    const generation = await fixture.generate('image.hires', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 6,
      hires_steps: 4,
      seed: 5,
    });
    const { values, events } = await progressOf(fixture, generation.id);
    expectMonotonicToOne(values, events);
    expectStepFractions(values, '3', 6, (step) => (step / 10) * 0.95);
    expectStepFractions(values, '11', 4, (step) => ((6 + step) / 10) * 0.95);
    await finishedImage(fixture, generation);
  });

  it('a cached first pass counts as done', async () => {
    // Same prompt, model, size and seed as before: only the second pass differs, so ComfyUI reuses the first.
    const generation = await fixture.generate('image.hires', {
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
    expectStepFractions(values, '11', 4, (step) => ((6 + step) / 10) * 0.95);
    await finishedImage(fixture, generation);
  });

  it('flux: the steps of SamplerCustomAdvanced are read from its scheduler', async () => {
    const generation = await fixture.generate('image.flux', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 4,
    });
    const { values, events } = await progressOf(fixture, generation.id);
    expectMonotonicToOne(values, events);
    const sampler = values.find((progress) => progress.stepTotal === 4)?.node;
    expect(sampler).toBeDefined();
    expectStepFractions(values, sampler!, 4, (step) => (step / 4) * 0.95);
    await finishedImage(fixture, generation);
  });

  it('upscale (no sampler): the bar still moves with the upscaler and the resize', async () => {
    const generation = await fixture.generate('image.upscale', {
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
      expect.arrayContaining([expect.stringMatching(/^(upscaling|resizing)/)]),
    );
    expect(events.at(-1)?.type).toBe('succeeded');
    await finishedImage(fixture, generation);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plugin, Progress, RelayEvent } from '@comfyrelay/core';
import { createVideoPlugin, videoFormats } from '../src/index.js';
import { startFixture, type Fixture } from './helpers/relayFixture.js';

let fixture: Fixture;

/** Stands in for plugin-image: a picture workflow whose "animate" hands its result over by id. */
const pictures: Plugin = {
  name: 'test-pictures',
  register(host) {
    host.registerWorkflow({
      id: 'test.picture',
      title: 'Picture',
      description: 'a test picture',
      template: {
        '1': {
          class_type: 'TestProgressNode',
          inputs: { seed: 1, steps: 2, width: 64, height: 48 },
        },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'picture' } },
      },
      parameters: [{ name: 'prompt', type: 'string', required: true, bind: [] }],
      outputs: [{ node: '2', kind: 'image', mime: 'image/png' }],
      actions: [
        {
          id: 'animate',
          label: 'Animate',
          workflow: 'video.image-to-video',
          usesOutputImage: true,
          parameters: (previous, context) => ({
            image: context.image,
            prompt: previous['prompt'],
            frames: 9,
            width: 160,
            height: 160,
            steps: 4,
          }),
        },
      ],
    });
  },
};

beforeAll(async () => {
  fixture = await startFixture([createVideoPlugin({ formats: videoFormats }), pictures]);
});
afterAll(async () => {
  await fixture?.close();
});

function progressOf(events: RelayEvent[]): Progress[] {
  return events.flatMap((event) => (event.type === 'progress' ? [event.progress] : []));
}

describe.each(['video.text-to-video', 'video.text-to-video.vhs-gif'])('progress of %s', (id) => {
  it('weights both samplers by steps, stays below 1 while decoding and encoding, and reaches 1 only at success', async () => {
    // 5 steps: the high-noise pass runs 2, the low-noise pass 3.
    const generation = await fixture.generate(id, {
      prompt: 'fireflies',
      steps: 5,
      frames: 9,
      width: 160,
      height: 128,
    });
    const record = await generation.done;
    expect(record.status, record.error?.message).toBe('succeeded');
    const events = fixture.eventsOf(generation.id);
    const progress = progressOf(events);

    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.fraction).toBeGreaterThanOrEqual(progress[i - 1]!.fraction);

    const last = progress.at(-1)!;
    expect(last).toMatchObject({ fraction: 1, phase: 'done' });
    expect(progress.slice(0, -1).every((p) => p.fraction < 1)).toBe(true);
    const succeededAt = events.findIndex((event) => event.type === 'succeeded');
    const doneAt = events.findIndex(
      (event) => event.type === 'progress' && event.progress.fraction === 1,
    );
    expect(doneAt).toBeLessThan(succeededAt);

    const highPass = progress.filter((p) => p.node === '57' && p.step !== undefined);
    const lowPass = progress.filter((p) => p.node === '58' && p.step !== undefined);
    // Steps read in one socket chunk publish once (the last wins): check every step that was
    // published against the step weighting (2 + 3 steps share the 80 % sampling part).
    expect(highPass.length).toBeGreaterThan(0);
    expect(lowPass.length).toBeGreaterThan(0);
    for (const p of highPass) {
      expect(p.phase).toBe(`sampling ${p.step}/2 (pass 1 of 2)`);
      expect(p.fraction).toBeCloseTo(0.8 * (p.step! / 5));
    }
    for (const p of lowPass) {
      expect(p.phase).toBe(`sampling ${p.step}/3 (pass 2 of 2)`);
      expect(p.fraction).toBeCloseTo(0.8 * ((2 + p.step!) / 5));
    }
    // (The ETA is checked with controlled timestamps in progress-tracker.test.ts: over a socket,
    // steps read together publish once.) Encoding runs ffmpeg, so its phase is always seen.
    const phases = new Set(progress.map((p) => p.phase.replace(/ \d+\/\d+$/, '')));
    expect(phases).toContain('encoding video');
    for (const p of progress.filter(
      (p) => p.phase.startsWith('decoding') || p.phase.startsWith('encoding video'),
    )) {
      expect(p.fraction).toBeGreaterThanOrEqual(0.8);
      expect(p.fraction).toBeLessThan(1);
    }
  });
});

describe('the hand-over from a picture workflow', () => {
  it('"animate" gives the picture to video.image-to-video as `image`, uploaded onto LoadImage', async () => {
    const picture = await (await fixture.generate('test.picture', { prompt: 'a lighthouse' })).done;
    expect(picture.status).toBe('succeeded');
    const video = await fixture.runAction(picture, 'animate');
    const record = await video.done;
    expect(record.status, record.error?.message).toBe('succeeded');
    expect(record.workflow).toBe('video.image-to-video');
    expect(record.parameters).toMatchObject({
      prompt: 'a lighthouse',
      image: expect.stringMatching(/^comfyrelay\/picture/),
    });
    expect(video.graph['52']?.inputs['image']).toBe(record.parameters?.['image']);
    expect(record.outputs?.[0]).toMatchObject({ kind: 'video', mime: 'video/mp4' });
  });
});

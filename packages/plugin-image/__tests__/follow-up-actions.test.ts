import { NotFoundError, type Plugin } from '@comfyrelay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  finishedImage,
  startImageFixture,
  type FinishedImage,
  type ImageFixture,
} from './helpers/imageFixture.js';

describe('follow-up actions on a result', () => {
  let fixture: ImageFixture;
  let original: FinishedImage;
  const request = {
    prompt: 'a lighthouse at dusk',
    negative: 'fog',
    width: 64,
    height: 64,
    steps: 3,
    cfg: 6,
    sampler: 'dpmpp_2m',
    scheduler: 'karras',
  };

  beforeAll(async () => {
    fixture = await startImageFixture();
    original = await finishedImage(fixture, await fixture.generate('image.txt2img', request));
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('reroll: same parameters, new seed', async () => {
    const reroll = await finishedImage(fixture, await fixture.runAction(original.record, 'reroll'));
    expect(reroll.record.workflow).toBe('image.txt2img');
    const { seed: oldSeed, ...oldRest } = original.record.parameters!;
    const { seed: newSeed, ...newRest } = reroll.record.parameters!;
    expect(newRest).toEqual(oldRest);
    expect(typeof newSeed).toBe('number');
    expect(newSeed).not.toBe(oldSeed);
    expect(reroll.generation.graph['3']?.inputs['seed']).toBe(newSeed);
    expect([reroll.width, reroll.height]).toEqual([64, 64]);
  });

  it('upscale: runs image.upscale on the result and gives a bigger PNG', async () => {
    const upscaled = await finishedImage(
      fixture,
      await fixture.runAction(original.record, 'upscale'),
    );
    expect(upscaled.record.workflow).toBe('image.upscale');
    expect(upscaled.generation.graph['10']?.inputs['image']).toMatch(/^comfyrelay\//);
    expect(upscaled.width).toBeGreaterThan(original.width);
    expect(upscaled.height).toBeGreaterThan(original.height);
    expect([upscaled.width, upscaled.height]).toEqual([128, 128]);
    // An upscale result can be animated, not rerolled.
    await expect(fixture.runAction(upscaled.record, 'reroll')).rejects.toThrow(
      'Upscale offers no action "reroll"',
    );
  });

  it('variations: a low-denoise img2img of the result, same size, same prompt and model, a nearby seed', async () => {
    const variation = await finishedImage(
      fixture,
      await fixture.runAction(original.record, 'variations'),
    );
    expect(variation.record.workflow).toBe('image.img2img');
    const parameters = variation.record.parameters!;
    expect(parameters).toMatchObject({
      prompt: request.prompt,
      negative: request.negative,
      steps: 3,
      cfg: 6,
      sampler: 'dpmpp_2m',
      scheduler: 'karras',
      checkpoint: original.record.parameters!['checkpoint'],
      denoise: 0.45,
    });
    const seed = parameters['seed'] as number;
    const originalSeed = original.record.parameters!['seed'] as number;
    expect(seed).toBeGreaterThan(originalSeed);
    expect(seed - originalSeed).toBeLessThan(1000);
    expect(variation.generation.graph['3']?.inputs['denoise']).toBe(0.45);
    expect([variation.width, variation.height]).toEqual([original.width, original.height]);
    // Variations of a variation: the img2img result offers them too.
    const again = await finishedImage(
      fixture,
      await fixture.runAction(variation.record, 'variations'),
    );
    expect([again.width, again.height]).toEqual([64, 64]);
  });

  it('animate is handed to the video plugin by id; without it registered the user is told', async () => {
    const error = await fixture.runAction(original.record, 'animate').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe('There is no workflow called "video.image-to-video"');
  });
});

/** Stands in for plugin-video (a plugin never imports another): same id, same `image` and `prompt` names. */
const videoStandIn: Plugin = {
  name: 'video-stand-in',
  register(host) {
    host.registerWorkflow({
      id: 'video.image-to-video',
      title: 'Image to video (stand-in)',
      description: 'Loads the picture and saves it again',
      template: {
        '1': { class_type: 'LoadImage', inputs: { image: 'example.png' } },
        '9': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
      },
      parameters: [
        { name: 'image', type: 'image', required: true, bind: { node: '1', input: 'image' } },
        {
          name: 'prompt',
          type: 'string',
          required: true,
          bind: { node: '9', input: 'filename_prefix' },
        },
      ],
      outputs: [{ node: '9', kind: 'image', mime: 'image/png' }],
    });
  },
};

describe('animate hands the result to the video plugin', () => {
  let fixture: ImageFixture;
  beforeAll(async () => {
    fixture = await startImageFixture({ others: [videoStandIn] });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('with the picture uploaded as `image` and the prompt as `prompt`', async () => {
    const original = await finishedImage(
      fixture,
      await fixture.generate('image.txt2img', {
        prompt: 'waves',
        width: 64,
        height: 64,
        steps: 2,
      }),
    );
    const animated = await finishedImage(
      fixture,
      await fixture.runAction(original.record, 'animate'),
    );
    expect(animated.record.workflow).toBe('video.image-to-video');
    expect(animated.record.parameters).toMatchObject({
      prompt: 'waves',
      image: expect.stringMatching(/^comfyrelay\//),
    });
    expect([animated.width, animated.height]).toEqual([64, 64]);
  });
});

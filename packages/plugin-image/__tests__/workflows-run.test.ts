import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedImage, startImageFixture, type ImageFixture } from './helpers/imageFixture.js';
import { isPng, solidPng } from '@comfyrelay/testkit';

/** Small sizes keep the simulator fast; its images are at most 256 px on a side. */
describe('every shipped workflow runs on the simulator to a saved PNG', () => {
  let fixture: ImageFixture;
  beforeAll(async () => {
    fixture = await startImageFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('image.txt2img', async () => {
    const result = await finishedImage(
      fixture,
      await fixture.generate('image.txt2img', {
        prompt: 'a lighthouse at dusk',
        width: 64,
        height: 96,
        steps: 3,
      }),
    );
    expect(isPng(result.png)).toBe(true);
    expect([result.width, result.height]).toEqual([64, 96]);
  });

  it('image.txt2img-lora', async () => {
    const result = await finishedImage(
      fixture,
      await fixture.generate('image.txt2img-lora', {
        prompt: 'a lighthouse, pixel art',
        lora: 'pixel_art_xl.safetensors',
        lora_strength: 0.8,
        width: 64,
        height: 64,
        steps: 3,
      }),
    );
    expect(isPng(result.png)).toBe(true);
  });

  it('image.flux', async () => {
    const result = await finishedImage(
      fixture,
      await fixture.generate('image.flux', {
        prompt: 'a lighthouse at dusk',
        width: 64,
        height: 64,
        steps: 4,
      }),
    );
    expect(isPng(result.png)).toBe(true);
    expect([result.width, result.height]).toEqual([64, 64]);
  });

  it('image.img2img from an uploaded picture keeps its size', async () => {
    const result = await finishedImage(
      fixture,
      await fixture.generate('image.img2img', {
        image: { data: solidPng(48, 32), filename: 'photo.png' },
        prompt: 'as a watercolour',
        steps: 3,
      }),
    );
    expect(isPng(result.png)).toBe(true);
    expect([result.width, result.height]).toEqual([48, 32]);
  });

  it('image.upscale makes the picture bigger', async () => {
    const result = await finishedImage(
      fixture,
      await fixture.generate('image.upscale', {
        image: { data: solidPng(40, 32), filename: 'small.png' },
      }),
    );
    expect(isPng(result.png)).toBe(true);
    // RealESRGAN_x4plus (4×) then resize 0.5: twice the original.
    expect([result.width, result.height]).toEqual([80, 64]);
  });

  it('image.hires samples twice and ends bigger than its first pass', async () => {
    const result = await finishedImage(
      fixture,
      await fixture.generate('image.hires', {
        prompt: 'a lighthouse at dusk',
        width: 64,
        height: 64,
        steps: 3,
        hires_steps: 2,
        hires_scale: 1.5,
      }),
    );
    expect(isPng(result.png)).toBe(true);
    expect([result.width, result.height]).toEqual([96, 96]);
  });
});

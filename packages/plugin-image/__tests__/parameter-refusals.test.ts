import { ParameterError } from '@comfyrelay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImagePlugin } from '../src/index.js';
import {
  finishedImage,
  posts,
  startImageFixture,
  type ImageFixture,
} from './helpers/imageFixture.js';
import { solidPng } from '@comfyrelay/testkit';

async function refusal(
  fixture: ImageFixture,
  id: string,
  parameters: Record<string, unknown>,
): Promise<ParameterError> {
  const error = await fixture.generate(id, parameters).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ParameterError);
  return error as ParameterError;
}

describe('choices are read live from /object_info', () => {
  let fixture: ImageFixture;
  beforeAll(async () => {
    fixture = await startImageFixture({
      sim: {
        checkpoints: ['house-model.safetensors', 'other-model.safetensors'],
        loras: ['ink.safetensors'],
      },
      plugin: createImagePlugin({ defaultCheckpoint: 'house-model.safetensors' }),
    });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('an unknown checkpoint is refused with the valid ones listed, and nothing is posted', async () => {
    const error = await refusal(fixture, 'image.txt2img', {
      prompt: 'x',
      checkpoint: 'v1-5-pruned-emaonly.safetensors',
    });
    expect(error.message).toBe(
      'checkpoint "v1-5-pruned-emaonly.safetensors" is not available; choose one of: house-model.safetensors, other-model.safetensors',
    );
    expect(error.problems).toEqual([{ parameter: 'checkpoint', message: error.message }]);
    expect(
      fixture.http.some(
        (call) =>
          call.method === 'GET' && call.path.includes('/object_info/CheckpointLoaderSimple'),
      ),
    ).toBe(true);
    expect(posts(fixture)).toEqual([]);
    expect(fixture.sim.queueSnapshot()).toEqual({ running: [], pending: [] });
    expect(fixture.relay.snapshot().generations).toEqual([]);
  });

  it("a checkpoint the server has is accepted, and the plugin's default is used when none is given", async () => {
    const chosen = await fixture.generate('image.txt2img', {
      prompt: 'x',
      checkpoint: 'other-model.safetensors',
      width: 64,
      height: 64,
      steps: 1,
    });
    expect(chosen.graph['4']?.inputs['ckpt_name']).toBe('other-model.safetensors');
    const defaulted = await fixture.generate('image.txt2img', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 1,
    });
    expect(defaulted.graph['4']?.inputs['ckpt_name']).toBe('house-model.safetensors');
    await finishedImage(fixture, chosen);
    await finishedImage(fixture, defaulted);
  });

  it('LoRAs, samplers and schedulers come from the server too', async () => {
    const before = posts(fixture).length;
    expect(
      (
        await refusal(fixture, 'image.txt2img-lora', {
          prompt: 'x',
          lora: 'add_detail.safetensors',
        })
      ).message,
    ).toBe('lora "add_detail.safetensors" is not available; choose one of: ink.safetensors');
    expect(
      (await refusal(fixture, 'image.txt2img', { prompt: 'x', sampler: 'warp_drive' })).message,
    ).toMatch(/^sampler "warp_drive" is not available; choose one of: euler, euler_cfg_pp, .*, …$/);
    expect(
      (await refusal(fixture, 'image.txt2img', { prompt: 'x', scheduler: 'fast' })).message,
    ).toBe(
      'scheduler "fast" is not available; choose one of: simple, sgm_uniform, karras, exponential, ddim_uniform, beta, normal, linear_quadratic, kl_optimal',
    );
    expect(posts(fixture)).toHaveLength(before);
  });
});

describe('bad parameters are refused with clear messages before anything is sent', () => {
  let fixture: ImageFixture;
  beforeAll(async () => {
    fixture = await startImageFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it.each([
    [
      'out of range',
      'image.txt2img',
      { prompt: 'x', steps: 0 },
      'steps must be at least 1 (got 0)',
    ],
    [
      'too wide',
      'image.txt2img',
      { prompt: 'x', width: 4096 },
      'width must be at most 2048 (got 4096)',
    ],
    ['too small', 'image.flux', { prompt: 'x', height: 32 }, 'height must be at least 64 (got 32)'],
    [
      'too many',
      'image.txt2img',
      { prompt: 'x', batch_size: 9 },
      'batch_size must be at most 4 (got 9)',
    ],
    [
      'not a number',
      'image.txt2img',
      { prompt: 'x', cfg: 'lots' },
      'cfg must be a number, not "lots"',
    ],
    [
      'not whole',
      'image.hires',
      { prompt: 'x', hires_steps: 2.5 },
      'hires_steps must be a whole number, not 2.5',
    ],
    [
      'denoise above 1',
      'image.img2img',
      { prompt: 'x', image: 'a.png', denoise: 1.5 },
      'denoise must be at most 1 (got 1.5)',
    ],
    [
      'hires scale',
      'image.hires',
      { prompt: 'x', hires_scale: 3 },
      'hires_scale must be at most 2 (got 3)',
    ],
    [
      'negative seed',
      'image.txt2img',
      { prompt: 'x', seed: -1 },
      'seed must be at least 0 (got -1)',
    ],
    ['missing prompt', 'image.txt2img', {}, 'prompt is required'],
    ['prompt not text', 'image.flux', { prompt: 42 }, 'prompt must be text'],
    ['missing image', 'image.img2img', { prompt: 'x' }, 'image is required'],
    ['image not a picture', 'image.upscale', { image: 42 }, 'image must be an image'],
    [
      'unknown parameter',
      'image.flux',
      { prompt: 'x', negative: 'no' },
      '"negative" is not a parameter of Text to image (Flux)',
    ],
    ['missing LoRA', 'image.txt2img-lora', { prompt: 'x' }, 'lora is required'],
    [
      'LoRA strength',
      'image.txt2img-lora',
      { prompt: 'x', lora: 'add_detail.safetensors', lora_strength: 5 },
      'lora_strength must be at most 2 (got 5)',
    ],
    [
      'choice not a string',
      'image.txt2img',
      { prompt: 'x', sampler: 3 },
      'sampler must be one of the listed values',
    ],
  ])('%s', async (_case, id, parameters, message) => {
    const before = posts(fixture).length;
    expect((await refusal(fixture, id, parameters)).message).toContain(message);
    expect(posts(fixture)).toHaveLength(before);
  });

  it('every problem is reported at once', async () => {
    const error = await refusal(fixture, 'image.txt2img', {
      steps: 500,
      width: 'wide',
      checkpoint: 'nope.ckpt',
      colour: 'red',
    });
    expect(error.problems.map((problem) => problem.parameter).sort()).toEqual([
      'checkpoint',
      'colour',
      'prompt',
      'steps',
      'width',
    ]);
    expect(error.message).toContain(
      'checkpoint "nope.ckpt" is not available; choose one of: dreamshaper_8.safetensors, sd_xl_base_1.0.safetensors, v1-5-pruned-emaonly.safetensors',
    );
    expect(posts(fixture)).toEqual([]);
  });

  it('an unknown upscale model or Flux model is refused with the installed ones', async () => {
    expect(
      (
        await refusal(fixture, 'image.upscale', {
          image: { data: solidPng(8, 8), filename: 'a.png' },
          model: 'magic.pth',
        })
      ).message,
    ).toBe(
      'model "magic.pth" is not available; choose one of: 4x-UltraSharp.pth, RealESRGAN_x2plus.pth, RealESRGAN_x4plus.pth',
    );
    expect(
      (await refusal(fixture, 'image.flux', { prompt: 'x', unet: 'flux3.safetensors' })).message,
    ).toMatch(
      /^unet "flux3.safetensors" is not available; choose one of: flux1-dev.safetensors, flux1-schnell.safetensors/,
    );
    // Nothing was uploaded either: the image is sent only once the parameters are valid.
    expect(posts(fixture)).toEqual([]);
  });
});

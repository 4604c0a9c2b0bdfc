import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedImage, startImageFixture, type ImageFixture } from './helpers/imageFixture.js';
import { solidPng } from '@comfyrelay/testkit';

describe('parameters land on the node inputs they bind to', () => {
  let fixture: ImageFixture;
  beforeAll(async () => {
    fixture = await startImageFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('image.txt2img: prompt, negative, size (rounded), model, sampler settings, seed and batch', async () => {
    const generation = await fixture.generate('image.txt2img', {
      prompt: 'a red fox',
      negative: 'blurry',
      width: 100,
      height: '67',
      checkpoint: 'dreamshaper_8.safetensors',
      steps: 3,
      cfg: 5.5,
      sampler: 'dpmpp_2m',
      scheduler: 'karras',
      seed: 1234,
      batch_size: 2,
    });
    const graph = generation.graph;
    expect(graph['6']?.inputs['text']).toBe('a red fox');
    expect(graph['7']?.inputs['text']).toBe('blurry');
    expect(graph['5']?.inputs).toMatchObject({ width: 104, height: 64, batch_size: 2 });
    expect(graph['4']?.inputs['ckpt_name']).toBe('dreamshaper_8.safetensors');
    expect(graph['3']?.inputs).toMatchObject({
      steps: 3,
      cfg: 5.5,
      sampler_name: 'dpmpp_2m',
      scheduler: 'karras',
      seed: 1234,
      denoise: 1,
    });
    // Links are untouched.
    expect(graph['3']?.inputs['model']).toEqual(['4', 0]);
    const result = await finishedImage(fixture, generation);
    expect(result.record.outputs).toHaveLength(2);
    expect(result.record.parameters).toMatchObject({ seed: 1234, width: 104, height: 64 });
  });

  it('a seed is drawn at random when not given, and kept when given', async () => {
    const a = await fixture.generate('image.txt2img', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 1,
    });
    const b = await fixture.generate('image.txt2img', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 1,
    });
    const seedA = a.graph['3']?.inputs['seed'];
    const seedB = b.graph['3']?.inputs['seed'];
    expect(typeof seedA).toBe('number');
    expect(seedA).not.toBe(seedB);
    expect(a.parameters?.['seed']).toBe(seedA);
    const c = await fixture.generate('image.txt2img', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 1,
      seed: 42,
    });
    expect(c.graph['3']?.inputs['seed']).toBe(42);
    await Promise.all([a.done, b.done, c.done]);
  });

  it('image.txt2img-lora: one strength binds both the model and the CLIP strength', async () => {
    const generation = await fixture.generate('image.txt2img-lora', {
      prompt: 'x',
      lora: 'add_detail.safetensors',
      lora_strength: 0.6,
      width: 64,
      height: 64,
      steps: 1,
    });
    expect(generation.graph['10']?.inputs).toMatchObject({
      lora_name: 'add_detail.safetensors',
      strength_model: 0.6,
      strength_clip: 0.6,
    });
    expect(generation.graph['3']?.inputs['model']).toEqual(['10', 0]);
    await finishedImage(fixture, generation);
  });

  it('image.hires: seed, cfg, sampler and scheduler reach both passes; the second pass has its own steps and denoise', async () => {
    const generation = await fixture.generate('image.hires', {
      prompt: 'x',
      width: 64,
      height: 64,
      steps: 3,
      hires_steps: 2,
      hires_denoise: 0.4,
      hires_scale: 2,
      cfg: 6,
      sampler: 'euler_ancestral',
      scheduler: 'karras',
      seed: 77,
    });
    const graph = generation.graph;
    for (const pass of ['3', '11'])
      expect(graph[pass]?.inputs).toMatchObject({
        seed: 77,
        cfg: 6,
        sampler_name: 'euler_ancestral',
        scheduler: 'karras',
      });
    expect(graph['3']?.inputs).toMatchObject({ steps: 3, denoise: 1 });
    expect(graph['11']?.inputs).toMatchObject({ steps: 2, denoise: 0.4 });
    expect(graph['10']?.inputs['scale_by']).toBe(2);
    const result = await finishedImage(fixture, generation);
    expect([result.width, result.height]).toEqual([128, 128]);
  });

  it('image.flux: sizes round to 16, seed goes to RandomNoise, steps to BasicScheduler', async () => {
    const generation = await fixture.generate('image.flux', {
      prompt: 'x',
      width: 100,
      height: 72,
      steps: 4,
      guidance: 2.5,
      seed: 9,
      sampler: 'euler',
      scheduler: 'beta',
      unet: 'flux1-schnell.safetensors',
      t5_encoder: 't5xxl_fp8_e4m3fn.safetensors',
    });
    const graph = generation.graph;
    expect(graph['27']?.inputs).toMatchObject({ width: 96, height: 80 });
    expect(graph['25']?.inputs['noise_seed']).toBe(9);
    expect(graph['17']?.inputs).toMatchObject({ steps: 4, scheduler: 'beta' });
    expect(graph['16']?.inputs['sampler_name']).toBe('euler');
    expect(graph['26']?.inputs['guidance']).toBe(2.5);
    expect(graph['10']?.inputs['unet_name']).toBe('flux1-schnell.safetensors');
    expect(graph['11']?.inputs).toMatchObject({
      clip_name1: 't5xxl_fp8_e4m3fn.safetensors',
      clip_name2: 'clip_l.safetensors',
    });
    await finishedImage(fixture, generation);
  });

  it('image.img2img: the uploaded picture is what LoadImage reads; denoise reaches the sampler', async () => {
    const generation = await fixture.generate('image.img2img', {
      image: { data: solidPng(32, 32), filename: 'mine.png' },
      prompt: 'x',
      denoise: 0.3,
      steps: 2,
    });
    const loaded = generation.graph['10']?.inputs['image'];
    expect(loaded).toMatch(/^comfyrelay\/mine.*\.png$/);
    expect(generation.parameters?.['image']).toBe(loaded);
    expect(generation.graph['3']?.inputs['denoise']).toBe(0.3);
    await finishedImage(fixture, generation);
  });

  it('image.upscale: model and resize reach their nodes', async () => {
    const generation = await fixture.generate('image.upscale', {
      image: { data: solidPng(32, 32), filename: 'up.png' },
      model: 'RealESRGAN_x2plus.pth',
      resize: 1,
    });
    expect(generation.graph['11']?.inputs['model_name']).toBe('RealESRGAN_x2plus.pth');
    expect(generation.graph['13']?.inputs).toMatchObject({
      scale_by: 1,
      upscale_method: 'lanczos',
    });
    const result = await finishedImage(fixture, generation);
    expect([result.width, result.height]).toEqual([64, 64]);
  });
});

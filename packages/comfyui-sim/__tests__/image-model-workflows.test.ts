import { describe, expect, it } from 'vitest';
import { decodePng, readPngHeader } from '../src/image/png-decode.js';
import { encodePng } from '../src/image/png-encode.js';
import { gradientImage, solidImage, type RgbImage } from '../src/image/rgb-image.js';
import type { ComfySimulator } from '../src/index.js';
import { getJson, queuePrompt } from './helpers/http.js';
import { viewFile, type FileRef } from './helpers/media.js';
import { fluxTextToImage, hiresFix, modelUpscale } from './helpers/model-workflows.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';

const startSimulator = useSimulators();

async function upload(sim: ComfySimulator, image: RgbImage, name: string): Promise<void> {
  const form = new FormData();
  form.append('image', new Blob([encodePng(image)], { type: 'image/png' }), name);
  const response = await fetch(`${sim.url}/upload/image`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
}

function pngSize(bytes: Buffer) {
  const header = readPngHeader(bytes);
  return header && { width: header.width, height: header.height };
}

async function savedPng(sim: ComfySimulator, file: FileRef) {
  const view = await viewFile(sim, file);
  expect(view.contentType).toBe('image/png');
  return decodePng(view.bytes);
}

/** Runs a prompt for client 'c' and returns its progress as `node:value/max` and its executed outputs. */
async function run(sim: ComfySimulator, prompt: unknown) {
  const socket = await TestSocket.open(sim, { clientId: 'c' });
  const { prompt_id } = await queuePrompt(sim, { prompt, client_id: 'c' });
  await socket.waitForPromptEnd(prompt_id);
  expect(socket.json('execution_success')).toHaveLength(1);
  const progress = socket
    .json('progress')
    .map((f) => `${f.data.node}:${f.data.value}/${f.data.max}`);
  const outputs: Record<string, { images: FileRef[] }> = {};
  for (const frame of socket.json('executed')) outputs[frame.data.node] = frame.data.output;
  const previews = socket.binary().length;
  await socket.close();
  return { promptId: prompt_id, progress, outputs, previews };
}

describe('Flux text-to-image (SamplerCustomAdvanced)', () => {
  it('reports the BasicScheduler steps as progress and saves a PNG', async () => {
    const sim = await startSimulator();
    const { progress, outputs, promptId, previews } = await run(sim, fluxTextToImage({ steps: 4 }));
    expect(progress).toEqual(['11:1/4', '11:2/4', '11:3/4', '11:4/4']);
    expect(previews).toBe(4);
    const [image] = outputs['13']?.images ?? [];
    expect(image).toEqual({ filename: 'flux_00001_.png', subfolder: '', type: 'output' });
    expect(await savedPng(sim, image as FileRef)).toMatchObject({ width: 1024, height: 768 });
    const history = (await getJson(sim, `/history/${promptId}`)).body[promptId];
    expect(history.status.status_str).toBe('success');
    expect(Object.keys(history.outputs)).toEqual(['13']);
  });

  it('follows the scheduler: other steps, other seed, other picture', async () => {
    const sim = await startSimulator();
    const first = await run(sim, fluxTextToImage({ steps: 2, seed: 1 }));
    expect(first.progress).toEqual(['11:1/2', '11:2/2']);
    const second = await run(sim, fluxTextToImage({ steps: 2, seed: 2 }));
    const a = await savedPng(sim, first.outputs['13']!.images[0]!);
    const b = await savedPng(sim, second.outputs['13']!.images[0]!);
    expect(a?.data.subarray(0, 3)).not.toEqual(b?.data.subarray(0, 3));
  });

  it('works with ModelSamplingFlux, CFGGuider and a partial denoise', async () => {
    const sim = await startSimulator();
    const prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }> =
      fluxTextToImage({ steps: 6, width: 512, height: 512 });
    prompt['14'] = {
      class_type: 'ModelSamplingFlux',
      inputs: { model: ['1', 0], max_shift: 1.15, base_shift: 0.5, width: 512, height: 512 },
    };
    prompt['15'] = { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['2', 0] } };
    prompt['10'] = {
      class_type: 'CFGGuider',
      inputs: { model: ['14', 0], positive: ['5', 0], negative: ['15', 0], cfg: 1 },
    };
    prompt['9']!.inputs['denoise'] = 0.5;
    const { progress, outputs } = await run(sim, prompt);
    // denoise 0.5 schedules 12 sigmas steps and runs the last 6 of them.
    expect(progress).toHaveLength(6);
    expect(progress.at(-1)).toBe('11:6/6');
    expect(await savedPng(sim, outputs['13']!.images[0]!)).toMatchObject({
      width: 512,
      height: 512,
    });
  });
});

describe('hires fix and upscaling', () => {
  it('KSampler → LatentUpscaleBy → KSampler (denoise 0.5) saves the upscaled size', async () => {
    const sim = await startSimulator();
    const small = await run(sim, hiresFix(128, 96, 1.5, 'hires_small'));
    expect(small.progress).toEqual(['3:1/3', '3:2/3', '3:3/3', '11:1/2', '11:2/2']);
    expect(await savedPng(sim, small.outputs['9']!.images[0]!)).toMatchObject({
      width: 192,
      height: 144,
    });
    const large = await run(sim, hiresFix(512, 384, 1.5, 'hires_large'));
    expect(await savedPng(sim, large.outputs['9']!.images[0]!)).toMatchObject({
      width: 768,
      height: 576,
    });
  });

  it('LoadImage → ImageUpscaleWithModel: 4× the size, one progress step per 512 px tile', async () => {
    const sim = await startSimulator();
    await upload(sim, solidImage(48, 32, [10, 120, 240]), 'small.png');
    const small = await run(sim, modelUpscale('small.png'));
    expect(small.progress).toEqual(['3:1/1']);
    const upscaled = await savedPng(sim, small.outputs['4']!.images[0]!);
    expect(upscaled).toMatchObject({ width: 192, height: 128 });
    expect([...(upscaled?.data.subarray(0, 3) ?? [])]).toEqual([10, 120, 240]);

    // 1000×600: 3×2 tiles; ×2 = 2000×1200.
    await upload(sim, gradientImage(1000, 600, [0, 0, 0], [255, 255, 255]), 'large.png');
    const large = await run(sim, modelUpscale('large.png', 'RealESRGAN_x2plus.pth'));
    expect(large.progress).toEqual(['3:1/6', '3:2/6', '3:3/6', '3:4/6', '3:5/6', '3:6/6']);
    expect(pngSize((await viewFile(sim, large.outputs['4']!.images[0]!)).bytes)).toEqual({
      width: 2000,
      height: 1200,
    });
  });

  it('ImageScale, ImageScaleBy, LatentUpscale and VAEEncode keep sizes flowing', async () => {
    const sim = await startSimulator();
    await upload(sim, solidImage(200, 100, [200, 50, 50]), 'photo.png');
    const prompt = {
      '1': { class_type: 'LoadImage', inputs: { image: 'photo.png' } },
      '2': {
        class_type: 'ImageScale',
        inputs: {
          image: ['1', 0],
          upscale_method: 'lanczos',
          width: 120,
          height: 0,
          crop: 'disabled',
        },
      },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'scaled' } },
      '4': {
        class_type: 'ImageScaleBy',
        inputs: { image: ['1', 0], upscale_method: 'bicubic', scale_by: 0.5 },
      },
      '5': { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: 'half' } },
      '6': {
        class_type: 'CheckpointLoaderSimple',
        inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' },
      },
      '7': { class_type: 'VAEEncode', inputs: { pixels: ['1', 0], vae: ['6', 2] } },
      '8': {
        class_type: 'LatentUpscale',
        inputs: {
          samples: ['7', 0],
          upscale_method: 'bilinear',
          width: 96,
          height: 96,
          crop: 'center',
        },
      },
      '9': { class_type: 'VAEDecode', inputs: { samples: ['8', 0], vae: ['6', 2] } },
      '10': { class_type: 'SaveImage', inputs: { images: ['9', 0], filename_prefix: 'latent' } },
      '11': {
        class_type: 'ImageScale',
        inputs: { image: ['1', 0], upscale_method: 'area', width: 64, height: 64, crop: 'center' },
      },
      '12': { class_type: 'SaveImage', inputs: { images: ['11', 0], filename_prefix: 'square' } },
    };
    const { outputs } = await run(sim, prompt);
    expect(await savedPng(sim, outputs['3']!.images[0]!)).toMatchObject({ width: 120, height: 60 });
    expect(await savedPng(sim, outputs['5']!.images[0]!)).toMatchObject({ width: 100, height: 50 });
    const latent = await savedPng(sim, outputs['10']!.images[0]!);
    expect(latent).toMatchObject({ width: 96, height: 96 });
    expect([...(latent?.data.subarray(0, 3) ?? [])]).toEqual([200, 50, 50]);
    expect(await savedPng(sim, outputs['12']!.images[0]!)).toMatchObject({ width: 64, height: 64 });
  });

  it('saves at the size asked for, and an upscale of it is the same picture, bigger', async () => {
    const sim = await startSimulator();
    const prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }> =
      hiresFix(512, 512, 1, 'plain');
    prompt['12'] = {
      class_type: 'UpscaleModelLoader',
      inputs: { model_name: 'RealESRGAN_x2plus.pth' },
    };
    prompt['13'] = {
      class_type: 'ImageUpscaleWithModel',
      inputs: { upscale_model: ['12', 0], image: ['8', 0] },
    };
    prompt['14'] = {
      class_type: 'SaveImage',
      inputs: { images: ['13', 0], filename_prefix: 'x2' },
    };
    const { outputs } = await run(sim, prompt);
    const plain = await savedPng(sim, outputs['9']!.images[0]!);
    const upscaled = await savedPng(sim, outputs['14']!.images[0]!);
    expect(plain).toMatchObject({ width: 512, height: 512 });
    expect(upscaled).toMatchObject({ width: 1024, height: 1024 });
    const pixel = (image: typeof plain, x: number, y: number) => {
      const at = (y * (image?.width ?? 0) + x) * 3;
      return [...(image?.data.subarray(at, at + 3) ?? [])];
    };
    for (const [x, y] of [
      [0, 0],
      [255, 256],
      [511, 511],
    ] as const)
      expect(pixel(upscaled, x * 2, y * 2)).toEqual(pixel(plain, x, y));
    expect(pixel(plain, 0, 0)).not.toEqual(pixel(plain, 0, 511));
  });
});

import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { simulatorObjectInfo, type ComfySimulator } from '../src/index.js';
import { getJson, request } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';

const startSimulator = useSimulators();
/** 18446744073709551615 as JSON.parse reads it. */
const SEED_MAX_PARSED = 2 ** 64;

/** fetch cannot be trusted to send an arbitrary Origin, so use node:http. */
function withOrigin(sim: ComfySimulator, path: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${sim.url}${path}`, { headers: { Origin: origin } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('informational routes', () => {
  it('offers its node catalogue without a server: what GET /object_info answers', async () => {
    const sim = await startSimulator();
    const served = (await getJson(sim, '/object_info')).body as Record<string, unknown>;
    expect(simulatorObjectInfo()).toEqual(served);
    expect(Object.keys(served)).toEqual(
      expect.arrayContaining(['KSampler', 'SaveImage', 'LoadImage']),
    );
  });

  it('describes the harness nodes exactly as captured (captures/http.log)', async () => {
    const sim = await startSimulator();
    expect((await getJson(sim, '/object_info/TestProgressNode')).body).toEqual({
      TestProgressNode: {
        input: {
          required: {
            seed: ['INT', { default: 0, min: 0, max: SEED_MAX_PARSED }],
            steps: ['INT', { default: 5, min: 1, max: 10000 }],
          },
          optional: {
            delay: ['FLOAT', { default: 0.2, min: 0.0, max: 10.0, step: 0.01 }],
            width: ['INT', { default: 64, min: 8, max: 2048 }],
            height: ['INT', { default: 64, min: 8, max: 2048 }],
            send_preview: ['BOOLEAN', { default: false }],
          },
        },
        input_order: {
          required: ['seed', 'steps'],
          optional: ['delay', 'width', 'height', 'send_preview'],
        },
        output: ['IMAGE'],
        output_is_list: [false],
        output_name: ['image'],
        name: 'TestProgressNode',
        display_name: 'Test Progress (harness)',
        description:
          'Sleeps `delay` seconds per step, reporting progress; outputs a solid-colour image.',
        python_module: 'custom_nodes.harness_test_nodes',
        category: 'harness',
        output_node: false,
      },
    });
    const save = (await getJson(sim, '/object_info/SaveImage')).body.SaveImage;
    expect(save.input.hidden).toEqual({ prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' });
    expect(save.input_order).toEqual({
      required: ['images', 'filename_prefix'],
      hidden: ['prompt', 'extra_pnginfo'],
    });
    expect(save.output_node).toBe(true);
    expect((await getJson(sim, '/object_info/NoSuchNode')).body).toEqual({});
  });

  it('lists every supported class with input specs', async () => {
    const sim = await startSimulator();
    const { body } = await getJson(sim, '/object_info');
    expect(Object.keys(body).sort()).toEqual([
      'BasicGuider',
      'BasicScheduler',
      'CFGGuider',
      'CLIPLoader',
      'CLIPTextEncode',
      'CLIPVisionEncode',
      'CLIPVisionLoader',
      'CheckpointLoaderSimple',
      'CreateVideo',
      'DualCLIPLoader',
      'EmptyHunyuanLatentVideo',
      'EmptyLatentImage',
      'EmptySD3LatentImage',
      'FluxGuidance',
      'ImageScale',
      'ImageScaleBy',
      'ImageUpscaleWithModel',
      'KSampler',
      'KSamplerAdvanced',
      'KSamplerSelect',
      'LatentUpscale',
      'LatentUpscaleBy',
      'LoadImage',
      'LoraLoader',
      'ModelSamplingFlux',
      'ModelSamplingSD3',
      'PreviewImage',
      'RandomNoise',
      'SamplerCustomAdvanced',
      'SaveAnimatedWEBP',
      'SaveImage',
      'SaveVideo',
      'SaveWEBM',
      'TestFailNode',
      'TestProgressNode',
      'UNETLoader',
      'UpscaleModelLoader',
      'VAEDecode',
      'VAEEncode',
      'VAELoader',
      'VHS_VideoCombine',
      'WanImageToVideo',
    ]);
    expect(body.KSampler.input.required.steps).toEqual([
      'INT',
      expect.objectContaining({ default: 20, min: 1, max: 10000 }),
    ]);
    expect(body.KSampler.input.required.sampler_name[0]).toContain('euler');
    expect(body.CheckpointLoaderSimple.output).toEqual(['MODEL', 'CLIP', 'VAE']);
    expect(body.LoraLoader.input.required.lora_name[0]).toEqual([
      'add_detail.safetensors',
      'pixel_art_xl.safetensors',
    ]);
    expect((await getJson(sim, '/models/checkpoints')).body).toEqual(
      body.CheckpointLoaderSimple.input.required.ckpt_name[0],
    );
  });

  it('reports system stats, features and queue info, also under /api', async () => {
    const sim = await startSimulator();
    const stats = (await getJson(sim, '/api/system_stats')).body;
    expect(stats.system).toMatchObject({
      comfyui_version: '0.8.0-sim',
      embedded_python: false,
      argv: expect.arrayContaining(['--port', String(sim.port)]),
    });
    expect(stats.devices[0]).toMatchObject({ name: 'cpu', type: 'cpu', index: null });
    expect((await getJson(sim, '/api/prompt')).body).toEqual({ exec_info: { queue_remaining: 0 } });
    expect((await getJson(sim, '/queue')).body).toEqual({ queue_running: [], queue_pending: [] });
  });

  it('answers unknown routes 404 and wrong methods 405, in aiohttp’s words', async () => {
    const sim = await startSimulator();
    expect(await request(sim, 'GET', '/nope')).toMatchObject({
      status: 404,
      text: '404: Not Found',
    });
    expect(await request(sim, 'DELETE', '/queue')).toMatchObject({
      status: 405,
      text: '405: Method Not Allowed',
    });
  });

  it('refuses a request whose Origin does not match Host', async () => {
    const sim = await startSimulator();
    expect(await withOrigin(sim, '/queue', 'http://evil.example')).toBe(403);
    expect(await withOrigin(sim, '/queue', sim.url)).toBe(200);
    expect(await withOrigin(sim, '/queue', 'http://127.0.0.1')).toBe(200);
    expect(await withOrigin(sim, '/queue', 'http://localhost:1')).toBe(403);
  });
});

import { describe, expect, it } from 'vitest';
import { decodePng } from '../src/image/png-decode.js';
import type { ComfySimulator } from '../src/index.js';
import { getJson, queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { textToImage } from './helpers/workflows.js';

const startSimulator = useSimulators();

async function fetchPng(
  sim: ComfySimulator,
  image: { filename: string; subfolder: string; type: string },
) {
  const query = new URLSearchParams(image);
  return decodePng(Buffer.from(await (await fetch(`${sim.url}/view?${query}`)).arrayBuffer()));
}

describe('text-to-image graph', () => {
  it('runs loader → encoders → KSampler → VAEDecode → SaveImage with sampler progress', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const steps: number[] = [];
    sim.on('step', (e) => steps.push(e.value));
    const { prompt_id } = await queuePrompt(sim, {
      prompt: textToImage({ steps: 5, width: 512, height: 768, batch: 2 }),
      client_id: 'c',
    });
    await socket.waitForPromptEnd(prompt_id);

    const executing = socket.json('executing').map((f) => f.data.node);
    expect(executing).toEqual(['4', '5', '7', '6', '3', '8', '9', null]);
    expect(
      socket.json('progress').map((f) => `${f.data.node}:${f.data.value}/${f.data.max}`),
    ).toEqual(['3:1/5', '3:2/5', '3:3/5', '3:4/5', '3:5/5']);
    expect(steps).toEqual([1, 2, 3, 4, 5]);
    const images = socket.json('executed')[0]?.data.output.images;
    expect(images.map((i: { filename: string }) => i.filename)).toEqual([
      'ComfyUI_00001_.png',
      'ComfyUI_00002_.png',
    ]);
    const [first, second] = await Promise.all(
      images.map((image: { filename: string; subfolder: string; type: string }) =>
        fetchPng(sim, image),
      ),
    );
    expect(first).toMatchObject({ width: 512, height: 768 });
    expect([...(first?.data.subarray(0, 3) ?? [])]).not.toEqual([
      ...(second?.data.subarray(0, 3) ?? []),
    ]);
  });

  it('same seed and prompt give the same picture; another seed another one', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const colours: string[] = [];
    for (const seed of [1, 2, 1]) {
      const { prompt_id } = await queuePrompt(sim, {
        prompt: textToImage({ seed, prefix: `s${colours.length}` }),
        client_id: 'c',
      });
      await socket.waitForPromptEnd(prompt_id);
      const image = socket.json('executed').at(-1)?.data.output.images[0];
      colours.push((await fetchPng(sim, image))?.data.subarray(0, 3).toString() ?? '');
    }
    expect(colours[0]).toBe(colours[2]);
    expect(colours[0]).not.toBe(colours[1]);
  });

  it('supports KSamplerAdvanced step windows, LoraLoader, VAEEncode and PreviewImage', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const prompt = {
      '4': {
        class_type: 'CheckpointLoaderSimple',
        inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' },
      },
      '10': {
        class_type: 'LoraLoader',
        inputs: {
          model: ['4', 0],
          clip: ['4', 1],
          lora_name: 'add_detail.safetensors',
          strength_model: 0.8,
          strength_clip: 1,
        },
      },
      '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'cat', clip: ['10', 1] } },
      '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['10', 1] } },
      '3': {
        class_type: 'KSamplerAdvanced',
        inputs: {
          model: ['10', 0],
          add_noise: 'enable',
          noise_seed: 5,
          steps: 10,
          cfg: 7,
          sampler_name: 'euler',
          scheduler: 'karras',
          positive: ['6', 0],
          negative: ['7', 0],
          latent_image: ['5', 0],
          start_at_step: 2,
          end_at_step: 6,
          return_with_leftover_noise: 'disable',
        },
      },
      '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
      '11': { class_type: 'VAEEncode', inputs: { pixels: ['8', 0], vae: ['4', 2] } },
      '12': { class_type: 'VAEDecode', inputs: { samples: ['11', 0], vae: ['4', 2] } },
      '9': { class_type: 'PreviewImage', inputs: { images: ['12', 0] } },
    };
    const { prompt_id } = await queuePrompt(sim, { prompt, client_id: 'c' });
    await socket.waitForPromptEnd(prompt_id);
    expect(socket.json('progress').map((f) => f.data.max)).toEqual([4, 4, 4, 4]);
    const image = socket.json('executed')[0]?.data.output.images[0];
    expect(image).toMatchObject({ type: 'temp', subfolder: '' });
    expect(await fetchPng(sim, image)).toMatchObject({ width: 64, height: 64 });
    const history = (await getJson(sim, `/history/${prompt_id}`)).body[prompt_id];
    expect(Object.keys(history.outputs)).toEqual(['9']);
  });

  it('ends with execution_error when a linked input holds the wrong kind of value', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const prompt = textToImage();
    (prompt['8'].inputs as Record<string, unknown>).vae = 'not-a-vae';
    const { prompt_id } = await queuePrompt(sim, { prompt, client_id: 'c' });
    await socket.waitForPromptEnd(prompt_id);
    const error = socket.json('execution_error')[0]?.data;
    expect(error).toMatchObject({
      node_id: '8',
      node_type: 'VAEDecode',
      exception_type: 'AttributeError',
    });
    expect([...error.executed].sort()).toEqual(['3', '4', '5', '6', '7']);
    expect(error.current_inputs).toEqual({ samples: ['<sim LATENT object>'], vae: ['not-a-vae'] });
  });
});

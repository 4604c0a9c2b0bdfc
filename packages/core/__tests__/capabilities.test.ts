import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComfySimulator, type SimulatorOptions } from '@comfyrelay/comfyui-sim';
import type { ApiWorkflow } from '../src/protocol/graph.js';
import type { InputSpec, NodeClassInfo, ObjectInfo } from '../src/protocol/rest.js';
import {
  capabilitiesOf,
  choicesOf,
  comboChoices,
  type BackendCapabilities,
} from '../src/routing/Capabilities.js';
import { canRun, missingOn } from '../src/routing/missingOn.js';
import { requirementsOf } from '../src/routing/requirements.js';

const SD15 = 'v1-5-pruned-emaonly.safetensors';
const FLUX_CKPT = 'flux1-dev-fp8.safetensors';

/** SD 1.5 text-to-image with a LoRA, as a plugin would render it. */
function txt2img(checkpoint: string, lora = 'add_detail.safetensors'): ApiWorkflow {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: checkpoint } },
    '10': {
      class_type: 'LoraLoader',
      inputs: {
        model: ['4', 0],
        clip: ['4', 1],
        lora_name: lora,
        strength_model: 1,
        strength_clip: 1,
      },
    },
    '6': {
      class_type: 'CLIPTextEncode',
      inputs: { text: 'a lighthouse at dusk', clip: ['10', 1] },
    },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['10', 1] } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed: 7,
        steps: 1,
        cfg: 7,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise: 1,
        model: ['10', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
      },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'routing', images: ['8', 0] } },
  };
}

async function objectInfoOf(sim: ComfySimulator): Promise<ObjectInfo> {
  const response = await fetch(`${sim.url}/object_info`);
  expect(response.status).toBe(200);
  return (await response.json()) as ObjectInfo;
}

/** What the server itself says about the graph: the HTTP status and the error types. */
async function submit(sim: ComfySimulator, graph: ApiWorkflow): Promise<[number, string]> {
  const response = await fetch(`${sim.url}/prompt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: graph, client_id: 'routing-test' }),
  });
  return [response.status, await response.text()];
}

describe('routing against the simulator’s real node catalogue', () => {
  const sims: ComfySimulator[] = [];
  let full: BackendCapabilities; // has both checkpoints
  let small: BackendCapabilities; // has SD 1.5 only
  let fullSim: ComfySimulator;
  let smallSim: ComfySimulator;

  beforeAll(async () => {
    const start = async (options: SimulatorOptions) => {
      const sim = await ComfySimulator.start({ port: 0, ...options });
      sims.push(sim);
      sim.holdExecution(); // accepted prompts wait in its queue: nothing needs to run here
      return sim;
    };
    fullSim = await start({
      checkpoints: [SD15, FLUX_CKPT],
      loras: ['add_detail.safetensors', 'pixel_art_xl.safetensors'],
    });
    smallSim = await start({ checkpoints: [SD15], loras: ['add_detail.safetensors'] });
    full = capabilitiesOf(await objectInfoOf(fullSim));
    small = capabilitiesOf(await objectInfoOf(smallSim));
  });

  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.stop()));
  });

  it('reads the node classes and every combo input’s choices', () => {
    for (const classType of ['CheckpointLoaderSimple', 'LoraLoader', 'KSampler', 'SaveImage']) {
      expect(full.nodeClasses.has(classType)).toBe(true);
    }
    expect(full.nodeClasses.has('IPAdapterApply')).toBe(false);
    expect([...(choicesOf(full, 'CheckpointLoaderSimple', 'ckpt_name') ?? [])].sort()).toEqual(
      [FLUX_CKPT, SD15].sort(),
    );
    expect([...(choicesOf(small, 'CheckpointLoaderSimple', 'ckpt_name') ?? [])]).toEqual([SD15]);
    expect(choicesOf(full, 'LoraLoader', 'lora_name')?.has('pixel_art_xl.safetensors')).toBe(true);
    expect(choicesOf(full, 'VAELoader', 'vae_name')?.has('ae.safetensors')).toBe(true);
    expect(choicesOf(full, 'UpscaleModelLoader', 'model_name')?.has('4x-UltraSharp.pth')).toBe(
      true,
    );
    expect(choicesOf(full, 'UNETLoader', 'unet_name')?.has('flux1-dev.safetensors')).toBe(true);
    expect(choicesOf(full, 'KSampler', 'sampler_name')?.has('euler')).toBe(true);
    expect(choicesOf(full, 'KSampler', 'scheduler')?.has('normal')).toBe(true);
    // Not combos: numbers, sockets, free text.
    expect(choicesOf(full, 'KSampler', 'steps')).toBeUndefined();
    expect(choicesOf(full, 'KSampler', 'model')).toBeUndefined();
    expect(choicesOf(full, 'CLIPTextEncode', 'text')).toBeUndefined();
    // The list of uploaded images is not something a server has or lacks: a job brings its own.
    expect(full.nodeClasses.has('LoadImage')).toBe(true);
    expect(choicesOf(full, 'LoadImage', 'image')).toBeUndefined();
  });

  it('lists what a rendered graph uses: classes, and the values of its combo inputs', () => {
    const graph = txt2img(SD15);
    const required = requirementsOf(graph, full);
    expect([...required.nodeClasses].sort()).toEqual(
      [
        'CLIPTextEncode',
        'CheckpointLoaderSimple',
        'EmptyLatentImage',
        'KSampler',
        'LoraLoader',
        'SaveImage',
        'VAEDecode',
      ].sort(),
    );
    // Graph order is node-id order: "3" (KSampler) comes before "10" (LoraLoader).
    expect(required.comboValues).toEqual([
      { classType: 'KSampler', input: 'sampler_name', value: 'euler' },
      { classType: 'KSampler', input: 'scheduler', value: 'normal' },
      { classType: 'CheckpointLoaderSimple', input: 'ckpt_name', value: SD15 },
      { classType: 'LoraLoader', input: 'lora_name', value: 'add_detail.safetensors' },
    ]);
    // Without a catalogue every literal string is a candidate; links and numbers never are.
    expect(
      requirementsOf(graph).comboValues.map((c) => `${c.classType}.${c.input}=${c.value}`),
    ).toEqual([
      'KSampler.sampler_name=euler',
      'KSampler.scheduler=normal',
      `CheckpointLoaderSimple.ckpt_name=${SD15}`,
      'CLIPTextEncode.text=a lighthouse at dusk',
      'CLIPTextEncode.text=blurry',
      'SaveImage.filename_prefix=routing',
      'LoraLoader.lora_name=add_detail.safetensors',
    ]);
    expect(missingOn(full, requirementsOf(graph))).toEqual([]);
  });

  it('finds a checkpoint only one server has missing on the other, by name, as the server does', async () => {
    const graph = txt2img(FLUX_CKPT);
    for (const required of [requirementsOf(graph), requirementsOf(graph, full)]) {
      expect(missingOn(full, required)).toEqual([]);
      expect(canRun(full, required)).toBe(true);
      expect(missingOn(small, required)).toEqual([`checkpoint "${FLUX_CKPT}"`]);
      expect(canRun(small, required)).toBe(false);
    }
    // The servers agree: one takes the prompt, the other refuses that very value.
    expect((await submit(fullSim, graph))[0]).toBe(200);
    const [status, body] = await submit(smallSim, graph);
    expect(status).toBe(400);
    expect(body).toContain('value_not_in_list');
    expect(body).toContain(FLUX_CKPT);
  });

  it('names a node class the server lacks, and leaves that node’s values unchecked', async () => {
    const graph: ApiWorkflow = {
      ...txt2img(SD15),
      '20': {
        class_type: 'IPAdapterApply',
        inputs: { ipadapter_file: 'ip-adapter_sd15.bin', weight: 0.8, model: ['10', 0] },
      },
    };
    expect(missingOn(full, requirementsOf(graph))).toEqual(['node class "IPAdapterApply"']);
    expect(canRun(full, requirementsOf(graph))).toBe(false);
    const [status] = await submit(fullSim, graph);
    expect(status).toBe(400);
  });

  it('groups what is missing by kind, in the words a user knows', () => {
    const graph: ApiWorkflow = {
      '1': {
        class_type: 'CheckpointLoaderSimple',
        inputs: { ckpt_name: 'sdxl_turbo.safetensors' },
      },
      '2': { class_type: 'LoraLoader', inputs: { lora_name: 'one.safetensors', model: ['1', 0] } },
      '3': { class_type: 'LoraLoader', inputs: { lora_name: 'two.safetensors', model: ['2', 0] } },
      '4': { class_type: 'LoraLoader', inputs: { lora_name: 'one.safetensors', model: ['3', 0] } },
      '5': { class_type: 'VAELoader', inputs: { vae_name: 'sdxl_vae.safetensors' } },
      '6': {
        class_type: 'UNETLoader',
        inputs: { unet_name: 'hidream.safetensors', weight_dtype: 'default' },
      },
      '7': {
        class_type: 'DualCLIPLoader',
        inputs: {
          clip_name1: 'clip_g.safetensors',
          clip_name2: 'clip_l.safetensors',
          type: 'flux',
        },
      },
      '8': { class_type: 'CLIPVisionLoader', inputs: { clip_name: 'siglip.safetensors' } },
      '9': { class_type: 'UpscaleModelLoader', inputs: { model_name: '8x-Foo.pth' } },
      '10': { class_type: 'KSampler', inputs: { sampler_name: 'warp_drive', scheduler: 'normal' } },
      '11': { class_type: 'ReActorFaceSwap', inputs: { face_model: 'none' } },
      '12': { class_type: 'ApplyInstantID', inputs: { instantid_file: 'x.bin' } },
      '13': {
        class_type: 'CheckpointLoaderSimple',
        inputs: { ckpt_name: 'SDXL\\juggernaut.safetensors' },
      },
    };
    expect(missingOn(full, requirementsOf(graph))).toEqual([
      'node classes "ReActorFaceSwap", "ApplyInstantID"',
      'checkpoints "sdxl_turbo.safetensors", "SDXL\\juggernaut.safetensors"',
      'LoRAs "one.safetensors", "two.safetensors"',
      'VAE "sdxl_vae.safetensors"',
      'diffusion model "hidream.safetensors"',
      'text encoder "clip_g.safetensors"', // clip_l is there
      'CLIP vision model "siglip.safetensors"',
      'upscale model "8x-Foo.pth"',
      'KSampler.sampler_name "warp_drive"',
    ]);
  });
});

/** A class as /object_info describes it, with only the inputs a test cares about. */
function nodeClass(
  name: string,
  required: Record<string, unknown>,
  optional?: Record<string, unknown>,
): NodeClassInfo {
  return {
    name,
    output: [],
    input: {
      required: required as Record<string, InputSpec>,
      ...(optional ? { optional: optional as Record<string, InputSpec> } : {}),
    },
  };
}

describe('reading /object_info in both combo spellings', () => {
  // Hand-written: newer ComfyUI writes combos as ['COMBO', { options }], older as [choices, options?].
  const objectInfo: ObjectInfo = {
    UNETLoader: nodeClass('UNETLoader', {
      unet_name: ['COMBO', { options: ['flux1-dev.safetensors', 'flux1-schnell.safetensors'] }],
      weight_dtype: ['COMBO', { options: ['default', 'fp8_e4m3fn'], default: 'default' }],
    }),
    CheckpointLoaderSimple: nodeClass('CheckpointLoaderSimple', {
      ckpt_name: [['sd15.safetensors']],
    }),
    KSampler: nodeClass(
      'KSampler',
      {
        sampler_name: [['euler', 'dpmpp_2m'], { tooltip: 'how' }],
        steps: ['INT', { default: 20 }],
      },
      { scheduler: ['COMBO', { options: ['normal', 'karras'] }] },
    ),
    LoadImage: nodeClass('LoadImage', {
      image: ['COMBO', { image_upload: true, options: ['cat.png'] }],
    }),
    LoadVideo: nodeClass('LoadVideo', { file: [['clip.mp4'], { video_upload: true }] }),
    RemoteModels: nodeClass('RemoteModels', {
      model: ['COMBO', { remote: { route: '/internal/models' }, options: [] }],
    }),
    Odd: nodeClass('Odd', { mixed: [['a', 7, null, 'b']], broken: 'not a spec', empty: [] }),
  };
  // What a custom node might send, outside the declared type.
  (objectInfo as Record<string, unknown>)['NoInputs'] = { name: 'NoInputs', output: [] };
  const capabilities = capabilitiesOf(objectInfo);

  it('reads ["COMBO", { options }] and [choices] alike, required and optional', () => {
    expect([...(choicesOf(capabilities, 'UNETLoader', 'unet_name') ?? [])]).toEqual([
      'flux1-dev.safetensors',
      'flux1-schnell.safetensors',
    ]);
    expect([...(choicesOf(capabilities, 'UNETLoader', 'weight_dtype') ?? [])]).toEqual([
      'default',
      'fp8_e4m3fn',
    ]);
    expect([...(choicesOf(capabilities, 'CheckpointLoaderSimple', 'ckpt_name') ?? [])]).toEqual([
      'sd15.safetensors',
    ]);
    expect([...(choicesOf(capabilities, 'KSampler', 'sampler_name') ?? [])]).toEqual([
      'euler',
      'dpmpp_2m',
    ]);
    expect([...(choicesOf(capabilities, 'KSampler', 'scheduler') ?? [])]).toEqual([
      'normal',
      'karras',
    ]);
    expect(choicesOf(capabilities, 'KSampler', 'steps')).toBeUndefined();
  });

  it('leaves out upload and remote lists, keeps odd lists’ strings, survives junk', () => {
    expect(choicesOf(capabilities, 'LoadImage', 'image')).toBeUndefined();
    expect(choicesOf(capabilities, 'LoadVideo', 'file')).toBeUndefined();
    expect(choicesOf(capabilities, 'RemoteModels', 'model')).toBeUndefined();
    expect([...(choicesOf(capabilities, 'Odd', 'mixed') ?? [])]).toEqual(['a', 'b']);
    expect(choicesOf(capabilities, 'Odd', 'broken')).toBeUndefined();
    expect(capabilities.nodeClasses.has('NoInputs')).toBe(true);
    expect(comboChoices(['COMBO'])).toBeUndefined();
    expect(comboChoices(['STRING', { multiline: true }])).toBeUndefined();
  });

  it('checks a graph against the COMBO spelling like any other', () => {
    const graph: ApiWorkflow = {
      '1': {
        class_type: 'UNETLoader',
        inputs: { unet_name: 'flux1-krea-dev.safetensors', weight_dtype: 'default' },
      },
      '2': {
        class_type: 'KSampler',
        inputs: { sampler_name: 'euler', scheduler: 'exponential', steps: 4 },
      },
      '3': { class_type: 'LoadImage', inputs: { image: 'uploaded-just-now.png' } },
    };
    expect(missingOn(capabilities, requirementsOf(graph))).toEqual([
      'diffusion model "flux1-krea-dev.safetensors"',
      'KSampler.scheduler "exponential"',
    ]);
    expect(requirementsOf(graph, capabilities).comboValues).toHaveLength(4); // the upload is not one
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ApiWorkflow, ParameterSpec } from '@comfyrelay/core';
import type { ObjectInfo } from '@comfyrelay/core/protocol';
import { detectWorkflow, detectWorkflowJson, type WorkflowDetection } from '../src/index.js';

const corpus = (name: string) =>
  readFileSync(new URL(`./fixtures/workflows/${name}`, import.meta.url), 'utf8');
const graphOf = (name: string) => JSON.parse(corpus(name)) as ApiWorkflow;
const objectInfo = JSON.parse(corpus('object-info/object_info.json')) as ObjectInfo;
const detect = (name: string, withInfo = true) =>
  detectWorkflowJson(corpus(name), withInfo ? { objectInfo } : {});

/** parameter → its bindings as "node.input". */
function bindings(detection: WorkflowDetection): Record<string, string[]> {
  return Object.fromEntries(
    detection.detected.map((d) => [d.parameter, d.bind.map((b) => `${b.node}.${b.input}`)]),
  );
}

function param(detection: WorkflowDetection, name: string): ParameterSpec {
  const found = detection.parameters.find((p) => p.name === name);
  if (!found)
    throw new Error(
      `no parameter ${name}; have ${detection.parameters.map((p) => p.name).join(', ')}`,
    );
  return found;
}

const noteOf = (detection: WorkflowDetection, name: string) =>
  detection.detected.find((d) => d.parameter === name)?.note ?? '';

describe('detectWorkflow on the corpus', () => {
  it('SD1.5 txt2img: every common input, defaults from the export, ranges and choices from /object_info', () => {
    const result = detect('sd15-txt2img.json');
    expect(result.problems).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(bindings(result)).toEqual({
      prompt: ['6.text'],
      negative_prompt: ['7.text'],
      seed: ['3.seed'],
      steps: ['3.steps'],
      cfg: ['3.cfg'],
      sampler: ['3.sampler_name'],
      scheduler: ['3.scheduler'],
      width: ['5.width'],
      height: ['5.height'],
      batch_size: ['5.batch_size'],
    });
    expect(param(result, 'prompt')).toMatchObject({
      type: 'string',
      required: true,
      default: expect.stringContaining('glass bottle'),
    });
    expect(param(result, 'negative_prompt')).toMatchObject({
      type: 'string',
      default: 'text, watermark',
    });
    expect(param(result, 'seed')).toMatchObject({ type: 'seed', default: 156680208700286 });
    expect(param(result, 'steps')).toMatchObject({
      type: 'integer',
      default: 20,
      min: 1,
      max: 10000,
    });
    expect(param(result, 'cfg')).toMatchObject({ type: 'number', default: 8, min: 0, max: 100 });
    expect(param(result, 'cfg').multipleOf).toBeUndefined();
    expect(param(result, 'sampler')).toMatchObject({
      type: 'choice',
      default: 'euler',
      choices: { classType: 'KSampler', input: 'sampler_name' },
    });
    expect(param(result, 'width')).toMatchObject({
      type: 'integer',
      default: 512,
      min: 16,
      max: 16384,
      multipleOf: 8,
    });
    expect(result.outputs).toEqual([{ node: '9', kind: 'image', mime: 'image/png' }]);
    expect(result.definition).toMatchObject({
      id: 'custom.workflow',
      title: 'Text to image',
      outputs: result.outputs,
    });
    expect(result.definition?.template).toEqual(graphOf('sd15-txt2img.json'));
  });

  it('SDXL base + refiner: both prompts move together, the seed only where noise is added, the step split is noted', () => {
    const result = detect('sdxl-refiner.json');
    expect(result.problems).toEqual([]);
    expect(bindings(result)).toMatchObject({
      prompt: ['6.text', '15.text'],
      negative_prompt: ['7.text', '16.text'],
      seed: ['10.noise_seed'],
      steps: ['10.steps', '11.steps'],
      cfg: ['10.cfg', '11.cfg'],
      sampler: ['10.sampler_name', '11.sampler_name'],
      width: ['5.width'],
    });
    expect(noteOf(result, 'steps')).toContain(
      'node 10 (KSamplerAdvanced "KSampler (Advanced) - BASE") runs steps 0 to 20',
    );
    expect(noteOf(result, 'steps')).toContain(
      'node 11 (KSamplerAdvanced "KSampler (Advanced) - REFINER") runs steps 20 to the end',
    );
  });

  it('Flux: SamplerCustomAdvanced settings live on RandomNoise, KSamplerSelect, BasicScheduler; the prompt is found through FluxGuidance and BasicGuider', () => {
    const result = detect('flux-dev.json');
    expect(result.problems).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(bindings(result)).toEqual({
      prompt: ['6.text'],
      seed: ['25.noise_seed'],
      steps: ['17.steps'],
      guidance: ['26.guidance'],
      sampler: ['16.sampler_name'],
      scheduler: ['17.scheduler'],
      width: ['27.width', '30.width'],
      height: ['27.height', '30.height'],
      batch_size: ['27.batch_size'],
    });
    expect(param(result, 'sampler').choices).toEqual({
      classType: 'KSamplerSelect',
      input: 'sampler_name',
    });
    expect(param(result, 'scheduler').choices).toEqual({
      classType: 'BasicScheduler',
      input: 'scheduler',
    });
    expect(param(result, 'width')).toMatchObject({ default: 1024, multipleOf: 16 });
    expect(param(result, 'guidance')).toMatchObject({
      type: 'number',
      default: 3.5,
      min: 0,
      max: 100,
    });
  });

  it('img2img: the image is an image parameter and denoise below 1 is offered; no size is missing', () => {
    const result = detect('img2img.json');
    expect(result.problems).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(param(result, 'image')).toMatchObject({
      type: 'image',
      default: 'example.png',
      bind: { node: '10', input: 'image' },
    });
    expect(param(result, 'denoise')).toMatchObject({
      type: 'number',
      default: 0.6,
      min: 0,
      max: 1,
      bind: { node: '3', input: 'denoise' },
    });
    expect(bindings(result)['width']).toBeUndefined();
    expect(result.definition?.title).toBe('Image to image');
  });

  it('a LoRA chain: counted from the checkpoint outwards, whatever the ids; a differing clip strength is noted', () => {
    const result = detect('lora-chain.json');
    expect(bindings(result)).toMatchObject({
      lora: ['11.lora_name'],
      lora_strength: ['11.strength_model', '11.strength_clip'],
      lora_2: ['10.lora_name'],
      lora_2_strength: ['10.strength_model'],
    });
    expect(param(result, 'lora')).toMatchObject({
      type: 'choice',
      default: 'pixel_art_xl.safetensors',
      choices: { classType: 'LoraLoader', input: 'lora_name' },
    });
    expect(param(result, 'lora_strength')).toMatchObject({
      type: 'number',
      default: 0.8,
      min: -100,
      max: 100,
    });
    expect(noteOf(result, 'lora_2_strength')).toContain(
      'its input "strength_clip" (1) holds another strength',
    );
    expect(param(result, 'batch_size').default).toBe(2);
  });

  it('hires fix: shared settings bound on both samplers, differing ones exposed from the first and noted', () => {
    const result = detect('hires-fix.json');
    expect(result.problems).toEqual([]);
    expect(bindings(result)).toMatchObject({
      seed: ['3.seed', '11.seed'],
      steps: ['3.steps'],
      cfg: ['3.cfg', '11.cfg'],
      sampler: ['3.sampler_name'],
      denoise: ['11.denoise'],
      width: ['5.width'],
      height: ['5.height'],
    });
    expect(noteOf(result, 'steps')).toBe(
      'set on node 3 (KSampler) input "steps"; node 11 (KSampler "KSampler (hires)") input "steps" (14) holds another number of steps and keeps its exported value (bind it in a manifest to change it too)',
    );
    expect(param(result, 'denoise').default).toBe(0.5);
    expect(result.outputs.map((o) => o.node)).toEqual(['9', '12']);
  });

  it('Wan image-to-video: prompts through WanImageToVideo by output index, size and length from it, VHS output by format', () => {
    const result = detect('wan-i2v.json');
    expect(result.problems).toEqual([]);
    expect(bindings(result)).toMatchObject({
      prompt: ['6.text'],
      negative_prompt: ['7.text'],
      image: ['52.image'],
      seed: ['3.seed'],
      width: ['50.width'],
      height: ['50.height'],
      length: ['50.length'],
      batch_size: ['50.batch_size'],
    });
    // Wan lengths are 1, 5, 9 …: a step of 4 from 1 is not "a multiple of 4".
    expect(param(result, 'length')).toMatchObject({ default: 33, min: 1, max: 16384 });
    expect(param(result, 'length').multipleOf).toBeUndefined();
    expect(result.outputs).toEqual([{ node: '56', kind: 'video', mime: 'video/mp4' }]);
    expect(result.definition?.title).toBe('Image to video');
  });

  it('save nodes give their kind and type: animated WEBP, WEBM, SaveVideo', () => {
    const result = detect('hunyuan-t2v-formats.json');
    expect(result.problems).toEqual([]);
    expect(result.outputs).toEqual([
      { node: '74', kind: 'animated-image', mime: 'image/webp' },
      { node: '75', kind: 'video', mime: 'video/webm' },
      { node: '77', kind: 'video', mime: 'video/mp4' },
    ]);
    expect(bindings(result)).toMatchObject({
      length: ['45.length'],
      width: ['45.width'],
      guidance: ['26.guidance'],
    });
  });

  it('grouped string ids in reverse order, with titles that lie: positive and negative follow the links', () => {
    const result = detect('grouped-ids.json');
    expect(result.problems).toEqual([]);
    expect(bindings(result)).toMatchObject({
      prompt: ['12:10.text'],
      negative_prompt: ['12:3.text'],
      seed: ['12:5.seed'],
      width: ['12:6.width'],
    });
    expect(param(result, 'prompt').default).toBe('a lighthouse on a cliff at dawn, oil painting');
    expect(result.outputs).toEqual([{ node: '12:9', kind: 'image', mime: 'image/png' }]);
  });

  it("detects the same without /object_info, with ComfyUI's own limits", () => {
    const result = detect('flux-dev.json', false);
    expect(result.problems).toEqual([]);
    expect(bindings(result)).toEqual(bindings(detect('flux-dev.json')));
    expect(param(result, 'steps')).toMatchObject({ min: 1, max: 10000 });
    expect(param(result, 'width')).toMatchObject({ min: 16, max: 16384, multipleOf: 8 });
    expect(param(result, 'sampler').choices).toEqual({
      classType: 'KSamplerSelect',
      input: 'sampler_name',
    });
  });

  it('binds only literal inputs, never a link, in every corpus file', () => {
    for (const file of [
      'sd15-txt2img.json',
      'sdxl-refiner.json',
      'flux-dev.json',
      'img2img.json',
      'lora-chain.json',
      'hires-fix.json',
      'wan-i2v.json',
      'hunyuan-t2v-formats.json',
      'grouped-ids.json',
    ]) {
      const graph = graphOf(file);
      for (const detected of detect(file).detected) {
        for (const { node, input } of detected.bind) {
          const value = graph[node]?.inputs[input];
          expect(
            ['string', 'number', 'boolean'],
            `${file} ${detected.parameter} → ${node}.${input}`,
          ).toContain(typeof value);
        }
      }
    }
  });
});

describe('positive and negative are told apart by connection', () => {
  it("swapping the sampler's links swaps the prompts, whatever the ids and titles", () => {
    const graph = graphOf('sd15-txt2img.json');
    graph['3']!.inputs['positive'] = ['7', 0];
    graph['3']!.inputs['negative'] = ['6', 0];
    expect(bindings(detectWorkflow(graph))).toMatchObject({
      prompt: ['7.text'],
      negative_prompt: ['6.text'],
    });
  });

  it('follows ConditioningCombine and a CFGGuider; a ConditioningZeroOut negative is no negative prompt', () => {
    const graph: ApiWorkflow = {
      '1': { class_type: 'CLIPTextEncode', inputs: { text: 'a castle', clip: ['9', 1] } },
      '2': { class_type: 'CLIPTextEncode', inputs: { text: 'at night', clip: ['9', 1] } },
      '3': {
        class_type: 'ConditioningCombine',
        inputs: { conditioning_1: ['1', 0], conditioning_2: ['2', 0] },
      },
      '4': { class_type: 'ConditioningZeroOut', inputs: { conditioning: ['1', 0] } },
      '5': {
        class_type: 'CFGGuider',
        inputs: { model: ['9', 0], positive: ['3', 0], negative: ['4', 0], cfg: 3.5 },
      },
      '6': { class_type: 'RandomNoise', inputs: { noise_seed: 7 } },
      '7': {
        class_type: 'SamplerCustomAdvanced',
        inputs: {
          noise: ['6', 0],
          guider: ['5', 0],
          sampler: ['10', 0],
          sigmas: ['11', 0],
          latent_image: ['12', 0],
        },
      },
      '9': {
        class_type: 'CheckpointLoaderSimple',
        inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' },
      },
      '10': { class_type: 'KSamplerSelect', inputs: { sampler_name: 'euler' } },
      '11': {
        class_type: 'BasicScheduler',
        inputs: { model: ['9', 0], scheduler: 'simple', steps: 8, denoise: 1 },
      },
      '12': { class_type: 'EmptyLatentImage', inputs: { width: 1024, height: 768, batch_size: 1 } },
      '13': { class_type: 'VAEDecode', inputs: { samples: ['7', 0], vae: ['9', 2] } },
      '14': { class_type: 'SaveImage', inputs: { images: ['13', 0], filename_prefix: 'x' } },
    };
    const result = detectWorkflow(graph, { objectInfo });
    expect(result.problems).toEqual([]);
    expect(bindings(result)).toMatchObject({
      prompt: ['1.text'],
      cfg: ['5.cfg'],
      seed: ['6.noise_seed'],
      steps: ['11.steps'],
    });
    expect(bindings(result)['negative_prompt']).toBeUndefined();
    expect(noteOf(result, 'prompt')).toContain(
      'node 2 (CLIPTextEncode) input "text" ("at night") holds another prompt',
    );
  });

  it('a linked prompt text is left alone and reported missing', () => {
    const graph = graphOf('sd15-txt2img.json');
    graph['20'] = { class_type: 'PrimitiveStringMultiline', inputs: { value: 'from elsewhere' } };
    graph['6']!.inputs['text'] = ['20', 0];
    const result = detectWorkflow(graph);
    expect(bindings(result)['prompt']).toBeUndefined();
    expect(result.missing).toContainEqual(
      expect.stringContaining('no positive prompt input found'),
    );
  });
});

describe('problems, in plain words', () => {
  it('a dangling link and an output index the class does not have', () => {
    const result = detect('dangling-link.json');
    expect(result.definition).toBeUndefined();
    expect(result.problems).toEqual([
      {
        code: 'missing_node',
        severity: 'error',
        node: '8',
        classType: 'VAEDecode',
        input: 'samples',
        message:
          'node 8 (VAEDecode "VAE Decode") input "samples" is linked to node 99, which is not in the workflow',
      },
      {
        code: 'bad_output_index',
        severity: 'error',
        node: '8',
        classType: 'VAEDecode',
        input: 'vae',
        message:
          'node 8 (VAEDecode "VAE Decode") input "vae" takes output 3 of node 4 (CheckpointLoaderSimple "Load Checkpoint"), which has only 3 outputs (MODEL, CLIP, VAE)',
      },
    ]);
    // Without /object_info the output count is unknown, but the missing node is not.
    expect(detect('dangling-link.json', false).problems.map((p) => p.code)).toEqual([
      'missing_node',
    ]);
  });

  it('an unknown node class, only when /object_info is known', () => {
    const result = detect('unknown-class.json');
    expect(result.definition).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'unknown_class',
        node: '10',
        classType: 'UltimateSDUpscale',
        message:
          'node 10 (UltimateSDUpscale "Ultimate SD Upscale") uses the node class "UltimateSDUpscale", which this ComfyUI server does not have; install the custom node that provides it, or replace the node',
      }),
    ]);
    expect(detect('unknown-class.json', false).definition).toBeDefined();
  });

  it('no output node', () => {
    const result = detect('no-output.json');
    expect(result.definition).toBeUndefined();
    expect(result.problems.map((p) => p.code)).toEqual(['no_output_node']);
    expect(result.problems[0]?.message).toMatch(
      /^the workflow has no output node \(such as SaveImage/,
    );
    expect(result.missing).toContainEqual(
      expect.stringContaining('no image or video output found'),
    );
  });

  it('the UI format, invalid JSON, and things that are not workflows', () => {
    expect(detect('ui-format.json').problems).toEqual([
      {
        code: 'ui_format',
        severity: 'error',
        message:
          'this is the UI format (a saved workflow with "nodes" and "links" lists); in ComfyUI use Workflow → Export (API) and use that file',
      },
    ]);
    const invalid = detect('invalid.json');
    expect(invalid.problems).toHaveLength(1);
    expect(invalid.problems[0]).toMatchObject({ code: 'invalid_json', severity: 'error' });
    expect(invalid.problems[0]?.message).toMatch(
      /^the file is not valid JSON \(.+\); export the workflow again with "Export \(API\)"$/,
    );
    expect(detectWorkflow({}).problems[0]?.message).toBe('the workflow holds no nodes');
    expect(detectWorkflow([1, 2]).problems[0]?.code).toBe('not_api_format');
    expect(detectWorkflow({ '1': { class_type: 'KSampler' } }).problems[0]?.message).toBe(
      'node 1 is not an API-format node (it needs "class_type" and "inputs"); export the workflow with "Export (API)"',
    );
  });

  it('accepts a saved POST body ({"prompt": …})', () => {
    const result = detectWorkflow(
      { prompt: graphOf('sd15-txt2img.json'), client_id: 'x' },
      { objectInfo },
    );
    expect(result.problems).toEqual([]);
    expect(bindings(result)['prompt']).toEqual(['6.text']);
  });

  it('a required input missing, a value out of range, a model the server lacks (a warning), a wrong link type, a loop', () => {
    const graph = graphOf('sd15-txt2img.json');
    delete graph['3']!.inputs['scheduler'];
    graph['3']!.inputs['steps'] = 0;
    graph['4']!.inputs['ckpt_name'] = 'juggernautXL.safetensors';
    graph['3']!.inputs['model'] = ['4', 1];
    const messages = detectWorkflow(graph, { objectInfo }).problems.map(
      (p) => `${p.severity} ${p.code}: ${p.message}`,
    );
    expect(messages).toEqual([
      'error value_out_of_range: node 3 (KSampler) input "steps" is 0, below its minimum 1',
      'error required_input_missing: node 3 (KSampler) is missing its required input "scheduler"',
      'warning value_not_in_list: node 4 (CheckpointLoaderSimple "Load Checkpoint") input "ckpt_name" is "juggernautXL.safetensors", which this ComfyUI server does not offer (it offers "v1-5-pruned-emaonly.safetensors", "sd_xl_base_1.0.safetensors", "sd_xl_refiner_1.0.safetensors", "dreamshaper_8.safetensors"); install it there or pick another, else ComfyUI refuses the workflow',
      'error link_type_mismatch: node 3 (KSampler) input "model" expects MODEL but is linked to output 1 of node 4 (CheckpointLoaderSimple "Load Checkpoint"), which gives CLIP',
    ]);

    const loop = graphOf('sd15-txt2img.json');
    loop['3']!.inputs['latent_image'] = ['8', 0];
    loop['8']!.inputs['samples'] = ['3', 0];
    const cycle = detectWorkflow(loop).problems;
    expect(cycle.map((p) => p.code)).toEqual(['cycle']);
    expect(cycle[0]?.message).toBe(
      'node 3 (KSampler) → node 8 (VAEDecode "VAE Decode") → node 3 (KSampler): these nodes depend on each other in a loop, which ComfyUI cannot run',
    );
  });

  it('an input image the server does not have is a warning that says what happens', () => {
    const graph = graphOf('img2img.json');
    graph['10']!.inputs['image'] = 'my-photo.png';
    const result = detectWorkflow(graph, { objectInfo });
    expect(result.definition).toBeDefined();
    expect(result.problems.map((p) => p.message)).toEqual([
      'node 10 (LoadImage "Load Image") input "image" is "my-photo.png", which is not in this ComfyUI server\'s input folder; a run without an image from the user fails (upload it there, or have users attach one)',
    ]);
  });

  it('a warning alone leaves the workflow usable', () => {
    const graph = graphOf('sd15-txt2img.json');
    graph['4']!.inputs['ckpt_name'] = 'juggernautXL.safetensors';
    const result = detectWorkflow(graph, { objectInfo });
    expect(result.problems.map((p) => p.severity)).toEqual(['warning']);
    expect(result.definition).toBeDefined();
  });

  it('a link that names its node as a number', () => {
    const graph = graphOf('sd15-txt2img.json') as Record<
      string,
      { class_type: string; inputs: Record<string, unknown> }
    >;
    graph['8']!.inputs['samples'] = [3, 0];
    expect(detectWorkflow(graph).problems[0]?.message).toBe(
      'node 8 (VAEDecode "VAE Decode") input "samples" links to 3; a link names its node id as a string, e.g. ["3", 0]',
    );
  });

  it('never throws, whatever it is given', () => {
    const odd: unknown[] = [
      null,
      undefined,
      'text',
      42,
      {
        '1': {
          class_type: 'KSampler',
          inputs: { positive: ['1', 0], negative: ['1', 1], latent_image: ['1', 0] },
        },
      },
      {
        '1': { class_type: 'SaveImage', inputs: { images: ['2', -1] } },
        '2': { class_type: 'KSampler', inputs: {} },
      },
      { constructor: { class_type: 'constructor', inputs: { __proto__: ['constructor', 0] } } },
    ];
    for (const graph of odd) {
      expect(() => detectWorkflow(graph, { objectInfo })).not.toThrow();
      expect(() =>
        detectWorkflow(graph, { objectInfo: { KSampler: null } as unknown as ObjectInfo }),
      ).not.toThrow();
    }
  });
});

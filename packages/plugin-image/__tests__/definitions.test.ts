import { PluginHost, type ParameterBinding, type WorkflowDefinition } from '@comfyrelay/core';
import { describe, expect, it } from 'vitest';
import {
  createImagePlugin,
  createImageWorkflows,
  IMAGE_WORKFLOW_IDS,
  imagePlugin,
  loadTemplate,
  sizeForAspect,
} from '../src/index.js';

const bindingsOf = (bind: ParameterBinding | ParameterBinding[]) =>
  Array.isArray(bind) ? bind : [bind];

describe('image workflow definitions', () => {
  const definitions = createImageWorkflows();
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));

  it('ship every workflow, each with an id, title, description, PNG output and interpreter', () => {
    expect(definitions.map((definition) => definition.id)).toEqual([...IMAGE_WORKFLOW_IDS]);
    for (const definition of definitions) {
      expect(definition.title).not.toBe('');
      expect(definition.description).not.toBe('');
      expect(definition.outputs).toEqual([{ node: '9', kind: 'image', mime: 'image/png' }]);
      expect(definition.template['9']?.class_type).toBe('SaveImage');
      expect(definition.progress).toBeDefined();
    }
  });

  it('bind every parameter to an input the template node already has (no typo can add a stray input)', () => {
    for (const definition of definitions) {
      for (const spec of definition.parameters) {
        for (const binding of bindingsOf(spec.bind)) {
          const node = definition.template[binding.node];
          expect(node, `${definition.id}.${spec.name} → node ${binding.node}`).toBeDefined();
          expect(
            Object.keys(node!.inputs),
            `${definition.id}.${spec.name} → ${binding.node}.${binding.input}`,
          ).toContain(binding.input);
        }
      }
    }
  });

  it('describe every parameter for a frontend: type, default or required, limits, live choices', () => {
    for (const definition of definitions) {
      const names = definition.parameters.map((spec) => spec.name);
      expect(new Set(names).size, definition.id).toBe(names.length);
      for (const spec of definition.parameters) {
        expect(spec.description, `${definition.id}.${spec.name}`).toBeTruthy();
        if (spec.type === 'choice')
          expect(spec.choices, `${definition.id}.${spec.name}`).toBeDefined();
        if (spec.type === 'integer' || spec.type === 'number') {
          expect(spec.min, `${definition.id}.${spec.name}`).toBeDefined();
          expect(spec.max, `${definition.id}.${spec.name}`).toBeDefined();
        }
        if (spec.type !== 'seed')
          expect(
            spec.required === true || spec.default !== undefined,
            `${definition.id}.${spec.name}`,
          ).toBe(true);
      }
    }
    const txt2img = byId.get('image.txt2img')!;
    expect(txt2img.parameters.find((spec) => spec.name === 'checkpoint')?.choices).toEqual({
      classType: 'CheckpointLoaderSimple',
      input: 'ckpt_name',
    });
    expect(txt2img.parameters.find((spec) => spec.name === 'sampler')?.choices).toEqual({
      classType: 'KSampler',
      input: 'sampler_name',
    });
    expect(txt2img.parameters.find((spec) => spec.name === 'scheduler')?.choices).toEqual({
      classType: 'KSampler',
      input: 'scheduler',
    });
    expect(txt2img.parameters.find((spec) => spec.name === 'width')).toMatchObject({
      multipleOf: 8,
      min: 64,
      max: 2048,
      default: 512,
    });
    expect(byId.get('image.flux')!.parameters.find((spec) => spec.name === 'width')).toMatchObject({
      multipleOf: 16,
      default: 1024,
    });
    expect(
      byId.get('image.txt2img-lora')!.parameters.find((spec) => spec.name === 'lora'),
    ).toMatchObject({
      required: true,
      choices: { classType: 'LoraLoader', input: 'lora_name' },
    });
  });

  it('offer reroll, variations, upscale and animate on checkpoint results, and hand animate to the video plugin by id', () => {
    const actions = (id: string) => byId.get(id)?.actions?.map((action) => action.id);
    expect(actions('image.txt2img')).toEqual(['reroll', 'variations', 'upscale', 'animate']);
    expect(actions('image.hires')).toEqual(['reroll', 'variations', 'upscale', 'animate']);
    expect(actions('image.flux')).toEqual(['reroll', 'upscale', 'animate']);
    expect(actions('image.upscale')).toEqual(['animate']);
    const txt2img = byId.get('image.txt2img')!;
    const animate = txt2img.actions!.find((action) => action.id === 'animate')!;
    expect(animate).toMatchObject({ workflow: 'video.image-to-video', usesOutputImage: true });
    const image = { data: new Uint8Array([1]), filename: 'a.png' };
    expect(animate.parameters({ prompt: 'a cat', seed: 1 }, { image })).toEqual({
      image,
      prompt: 'a cat',
    });
    expect(txt2img.actions!.find((action) => action.id === 'upscale')).toMatchObject({
      workflow: 'image.upscale',
      usesOutputImage: true,
    });
    expect(txt2img.actions!.find((action) => action.id === 'variations')).toMatchObject({
      workflow: 'image.img2img',
      usesOutputImage: true,
    });
  });

  it('build variations from the carried parameters only, near the original seed, at low denoise', () => {
    const variations = byId
      .get('image.hires')!
      .actions!.find((action) => action.id === 'variations')!;
    const image = { data: new Uint8Array([1]), filename: 'a.png' };
    const previous = {
      prompt: 'p',
      negative: 'n',
      checkpoint: 'c',
      steps: 9,
      cfg: 5,
      sampler: 'euler',
      scheduler: 'karras',
      seed: 100,
      width: 64,
      hires_scale: 2,
    };
    const next = variations.parameters(previous, { image });
    expect(next).toMatchObject({
      prompt: 'p',
      negative: 'n',
      checkpoint: 'c',
      steps: 9,
      cfg: 5,
      sampler: 'euler',
      scheduler: 'karras',
      denoise: 0.45,
      image,
    });
    expect(next).not.toHaveProperty('width');
    expect(next).not.toHaveProperty('hires_scale');
    expect(next['seed']).toBeGreaterThan(100);
    expect(next['seed']).toBeLessThan(1100);
  });

  it('follow the options: fewer workflows drop the actions that need them, animate can be turned off', () => {
    const only = createImageWorkflows({
      workflows: ['image.txt2img'],
      animateWorkflow: false,
      defaultCheckpoint: 'x.safetensors',
      deadlineMs: 5000,
    });
    expect(only.map((definition) => definition.id)).toEqual(['image.txt2img']);
    expect(only[0]?.actions?.map((action) => action.id)).toEqual(['reroll']);
    expect(only[0]?.parameters.find((spec) => spec.name === 'checkpoint')?.default).toBe(
      'x.safetensors',
    );
    expect(only[0]?.deadlineMs).toBe(5000);
    const other = createImageWorkflows({
      workflows: ['image.txt2img'],
      animateWorkflow: 'video.svd',
    });
    expect(other[0]?.actions?.find((action) => action.id === 'animate')?.workflow).toBe(
      'video.svd',
    );
  });

  it('refuse bad options with a message', () => {
    expect(() => createImageWorkflows({ workflows: ['image.nope' as never] })).toThrow(
      'plugin-image has no workflow "image.nope"',
    );
    expect(() => createImageWorkflows({ defaultSize: { width: 500, height: 512 } })).toThrow(
      'multiples of 8',
    );
    expect(() =>
      createImageWorkflows({ flux: { defaultSize: { width: 1000, height: 1024 } } }),
    ).toThrow('multiples of 16');
    expect(() => createImageWorkflows({ maxBatchSize: 0 })).toThrow(
      'maxBatchSize must be a positive whole number',
    );
  });

  it('register through the plugin host; the default plugin and a configured one share the name', async () => {
    const host = new PluginHost();
    await host.use(imagePlugin);
    expect(host.workflows().map((definition: WorkflowDefinition) => definition.id)).toEqual([
      ...IMAGE_WORKFLOW_IDS,
    ]);
    expect(imagePlugin.name).toBe('@comfyrelay/plugin-image');
    expect(createImagePlugin().name).toBe(imagePlugin.name);
  });

  it('load templates as fresh copies', () => {
    const first = loadTemplate('txt2img');
    first['3']!.inputs['steps'] = 99;
    expect(loadTemplate('txt2img')['3']?.inputs['steps']).toBe(20);
  });
});

describe('sizeForAspect', () => {
  it('gives width/height for a preset at about the given pixel count, rounded for the model', () => {
    expect(sizeForAspect('1:1')).toEqual({ width: 512, height: 512 });
    expect(sizeForAspect('3:2')).toEqual({ width: 624, height: 416 });
    expect(sizeForAspect('9:16', { pixels: 1024 * 1024, multipleOf: 16 })).toEqual({
      width: 768,
      height: 1360,
    });
    expect(() => sizeForAspect('wide')).toThrow(
      '"wide" is not an aspect ratio; use one like 1:1, 3:2',
    );
  });
});

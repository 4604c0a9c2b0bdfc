import {
  ParameterError,
  validateParameters,
  type ParameterValues,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAspect, createImageWorkflows } from '../src/index.js';
import { finishedImage, startImageFixture, type ImageFixture } from './helpers/imageFixture.js';

const definitions = new Map(createImageWorkflows().map((d) => [d.id, d]));
const definition = (id: string): WorkflowDefinition => definitions.get(id)!;

/** What the relay would render: the schema's checks and defaults, then the `prepare` hook. */
async function prepared(id: string, input: Record<string, unknown>): Promise<ParameterValues> {
  const workflow = definition(id);
  const values = await validateParameters(workflow, input);
  return workflow.prepare ? workflow.prepare(values, new Set(Object.keys(input))) : values;
}

const sizeOf = (values: ParameterValues) => ({ width: values['width'], height: values['height'] });

describe('the aspect parameter', () => {
  it('is offered, as "ar" too, by the checkpoint and Flux workflows, and binds to no node', () => {
    for (const id of ['image.txt2img', 'image.txt2img-lora', 'image.hires', 'image.flux']) {
      const aspect = definition(id).parameters.find((spec) => spec.name === 'aspect');
      expect(aspect, id).toMatchObject({ type: 'string', aliases: ['ar'], default: '', bind: [] });
      expect(definition(id).prepare, id).toBeTypeOf('function');
    }
    for (const id of ['image.img2img', 'image.upscale'])
      expect(
        definition(id).parameters.some((spec) => spec.name === 'aspect'),
        id,
      ).toBe(false);
  });

  it('"negative" can be typed as "no"', () => {
    for (const id of ['image.txt2img', 'image.txt2img-lora', 'image.hires', 'image.img2img'])
      expect(definition(id).parameters.find((spec) => spec.name === 'negative')?.aliases).toEqual([
        'no',
      ]);
  });

  it('sets width and height at about the default pixel count, rounded for the model', async () => {
    expect(sizeOf(await prepared('image.txt2img', { prompt: 'x', aspect: '16:9' }))).toEqual({
      width: 680,
      height: 384,
    });
    expect(sizeOf(await prepared('image.hires', { prompt: 'x', aspect: '2:3' }))).toEqual({
      width: 416,
      height: 624,
    });
    expect(sizeOf(await prepared('image.flux', { prompt: 'x', aspect: '16:9' }))).toEqual({
      width: 1360,
      height: 768,
    });
    expect(sizeOf(await prepared('image.txt2img', { prompt: 'x', aspect: '1:1' }))).toEqual({
      width: 512,
      height: 512,
    });
  });

  it('lets an explicit width or height win, the other side following the ratio', async () => {
    expect(
      sizeOf(await prepared('image.txt2img', { prompt: 'x', aspect: '16:9', width: 1024 })),
    ).toEqual({ width: 1024, height: 576 });
    expect(
      sizeOf(
        await prepared('image.txt2img-lora', {
          prompt: 'x',
          lora: 'a',
          aspect: '3:2',
          height: 768,
        }),
      ),
    ).toEqual({ width: 1152, height: 768 });
    expect(
      sizeOf(
        await prepared('image.txt2img', { prompt: 'x', aspect: '16:9', width: 640, height: 640 }),
      ),
    ).toEqual({ width: 640, height: 640 });
  });

  it('keeps the aspect in the values (the record shows it) and changes nothing without one', async () => {
    const values = await prepared('image.txt2img', { prompt: 'x', aspect: '16:9' });
    expect(values['aspect']).toBe('16:9');
    expect(sizeOf(await prepared('image.txt2img', { prompt: 'x' }))).toEqual({
      width: 512,
      height: 512,
    });
  });

  it('keeps extreme ratios within the size limits', () => {
    const rules = { defaults: { width: 512, height: 512 }, multipleOf: 8, maxSide: 2048 };
    expect(sizeOf(applyAspect({ aspect: '32:1', width: 512, height: 512 }, rules))).toEqual({
      width: 2048,
      height: 64,
    });
    expect(sizeOf(applyAspect({ aspect: '1:1', width: 4000, height: 512 }, rules))).toEqual({
      width: 2048,
      height: 2048,
    });
  });

  it('refuses what is not a ratio with a ParameterError naming the aspect', async () => {
    const error = await prepared('image.txt2img', { prompt: 'x', aspect: 'wide' }).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as ParameterError).problems).toEqual([
      {
        parameter: 'aspect',
        message:
          'aspect "wide" is not an aspect ratio; use one like 1:1, 3:2, 2:3, 4:3, 3:4, 16:9, 9:16',
      },
    ]);
  });
});

describe('an aspect on a real run', () => {
  let fixture: ImageFixture;
  beforeAll(async () => {
    fixture = await startImageFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('reaches the latent node as width and height, and the picture has that size', async () => {
    const generation = await fixture.generate('image.txt2img', { prompt: 'a fox', aspect: '3:2' });
    expect(generation.graph['5']?.inputs).toMatchObject({ width: 624, height: 416 });
    expect(generation.parameters).toMatchObject({ aspect: '3:2', width: 624, height: 416 });
    const image = await finishedImage(fixture, generation);
    expect(image.width / image.height).toBeCloseTo(1.5, 1);
  });
});

describe('aspect with a side the user gave', () => {
  it('keeps an explicit width equal to the default, and the other side follows', async () => {
    const values = await prepared('image.txt2img', { prompt: 'x', aspect: '16:9', width: 512 });
    expect(values['width']).toBe(512);
    expect(values['height']).toBe(288);
  });
});

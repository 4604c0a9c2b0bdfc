import type { GenerationOutput } from '@comfyrelay/core';
import { createImageWorkflows } from '@comfyrelay/plugin-image';
import { describe, expect, it } from 'vitest';
import {
  ActionCodec,
  buildResultMessage,
  composeGrid,
  cropTile,
  gridLayout,
  pickImage,
  resultButtons,
  resultCaption,
  type ButtonRow,
  type TextRules,
} from '../src/index.js';
import { pixel, sizeOf, solid } from './helpers/images.js';
import { JOB_ID, record } from './helpers/records.js';

const codec = new ActionCodec();
const labels = (rows: readonly ButtonRow[]) => rows.map((row) => row.map((button) => button.label));
const decoded = (rows: readonly ButtonRow[]) =>
  rows.flat().map((button) => {
    const result = codec.decode(button.token);
    if (!result.ok) throw new Error('undecodable button');
    return `${result.token.action}:${result.token.index}`;
  });

const RED = '#ff0000';
const GREEN = '#00ff00';
const BLUE = '#0000ff';
const WHITE = '#ffffff';

describe('grids, Midjourney’s way', () => {
  it('lay 4 out 2×2, 3 in 2×2 with a blank, 2 side by side or stacked', () => {
    const square = { width: 64, height: 64 };
    expect(gridLayout(4, square)).toEqual({ columns: 2, rows: 2 });
    expect(gridLayout(3, square)).toEqual({ columns: 2, rows: 2 });
    expect(gridLayout(2, square)).toEqual({ columns: 2, rows: 1 });
    expect(gridLayout(2, { width: 96, height: 54 })).toEqual({ columns: 1, rows: 2 });
    expect(gridLayout(1, square)).toEqual({ columns: 1, rows: 1 });
    expect(gridLayout(9, square)).toEqual({ columns: 3, rows: 3 });
  });

  it('compose one image with each tile where the layout puts it', async () => {
    const tiles = await Promise.all([RED, GREEN, BLUE, WHITE].map((c) => solid(40, 30, c)));
    const grid = await composeGrid(tiles);
    expect(await sizeOf(grid.data)).toEqual({ width: 80, height: 60, format: 'png' });
    expect(await pixel(grid.data, 10, 10)).toEqual([255, 0, 0, 255]);
    expect(await pixel(grid.data, 50, 10)).toEqual([0, 255, 0, 255]);
    expect(await pixel(grid.data, 10, 40)).toEqual([0, 0, 255, 255]);
    expect(await pixel(grid.data, 50, 40)).toEqual([255, 255, 255, 255]);
  });

  it('leave the fourth cell of three blank, and stack two wide ones', async () => {
    const three = await composeGrid(
      await Promise.all([RED, GREEN, BLUE].map((c) => solid(20, 20, c))),
    );
    expect(three.layout).toEqual({ columns: 2, rows: 2 });
    expect((await pixel(three.data, 30, 30))[3]).toBe(0);
    const two = await composeGrid(await Promise.all([RED, GREEN].map((c) => solid(32, 18, c))));
    expect(await sizeOf(two.data)).toMatchObject({ width: 32, height: 36 });
  });

  it('give U-k as the stored image itself, or its tile cut from a stored grid', async () => {
    const originals = await Promise.all([RED, GREEN, BLUE, WHITE].map((c) => solid(40, 30, c)));
    expect(await pickImage(originals, 2)).toBe(originals[2]);
    await expect(pickImage(originals, 4)).rejects.toThrow('There is no image 5 in this result');
    const grid = await composeGrid(originals);
    const tile = await pickImage([grid.data], 1, grid);
    expect(await sizeOf(tile)).toMatchObject({ width: 40, height: 30 });
    expect(await pixel(tile, 0, 0)).toEqual([0, 255, 0, 255]);
    expect(await pixel(await cropTile(grid.data, grid, 3), 39, 29)).toEqual([255, 255, 255, 255]);
  });
});

describe('result buttons', () => {
  const imageActions = createImageWorkflows().find((d) => d.id === 'image.txt2img')!.actions!;

  it('for a grid: U1…U4, V1…V4, then reroll', () => {
    const rows = resultButtons({ codec, jobId: JOB_ID, count: 4, actions: imageActions });
    expect(labels(rows)).toEqual([['U1', 'U2', 'U3', 'U4'], ['V1', 'V2', 'V3', 'V4'], ['🔄']]);
    expect(decoded(rows)).toEqual([
      'pick:0',
      'pick:1',
      'pick:2',
      'pick:3',
      'variation:0',
      'variation:1',
      'variation:2',
      'variation:3',
      'reroll:0',
    ]);
  });

  it('for one image: vary, upscale, animate, then reroll and parameters', () => {
    const rows = resultButtons({
      codec,
      jobId: JOB_ID,
      count: 1,
      actions: imageActions,
      parameters: true,
    });
    expect(labels(rows)).toEqual([
      ['Vary', 'Upscale', '🎞 Animate'],
      ['🔄', 'Parameters'],
    ]);
    const strongAndSubtle = resultButtons({
      codec,
      jobId: JOB_ID,
      count: 1,
      actions: [
        { id: 'vary-strong', label: 'Vary (Strong)' },
        { id: 'vary-subtle', label: 'Vary (Subtle)' },
        { id: 'variations', label: 'Variations' },
        { id: 'zoom-out', label: 'Zoom out' },
      ],
    });
    expect(labels(strongAndSubtle)).toEqual([['Vary (Strong)', 'Vary (Subtle)', 'Zoom out']]);
    expect(decoded(strongAndSubtle)).toEqual(['vary-strong:0', 'vary-subtle:0', 'follow-up:0']);
  });

  it('keep rows to five buttons, and offer only what the workflow offers', () => {
    const rows = resultButtons({ codec, jobId: JOB_ID, count: 7, actions: [] });
    expect(rows.map((row) => row.length)).toEqual([5, 2]);
    expect(resultButtons({ codec, jobId: JOB_ID, count: 1, actions: [] })).toEqual([]);
  });
});

describe('result captions', () => {
  const specs = createImageWorkflows().find((d) => d.id === 'image.txt2img')!.parameters;
  const parameters = {
    prompt: 'a red fox',
    negative: '',
    aspect: '16:9',
    width: 680,
    height: 384,
    steps: 30,
    cfg: 7,
    seed: 42,
    checkpoint: 'v1-5-pruned-emaonly.safetensors',
    batch_size: 4,
  };

  it('show the prompt, who asked, the seed and what differs from the defaults', () => {
    const caption = resultCaption({
      parameters,
      specs,
      requester: '@ann',
      markup: 'discord',
      maxLength: 2000,
    });
    expect(caption).toEqual({
      text: '**a red fox** - @ann\n*seed 42 · 680×384 · aspect 16:9 · steps 30 · batch\\_size 4*',
      parametersShown: true,
    });
  });

  it('fall back to the title and a parameters button when they do not fit', () => {
    const caption = resultCaption({ parameters, specs, markup: 'telegram-html', maxLength: 40 });
    expect(caption).toEqual({ text: '<b>a red fox</b>', parametersShown: false });
  });
});

describe('the result message', () => {
  const rules: TextRules = {
    markup: 'plain',
    maxTextLength: 2000,
    maxCaptionLength: 1024,
    maxButtonsPerRow: 5,
    maxButtonRows: 5,
    maxButtonDataBytes: 64,
  };
  const output = (n: number): GenerationOutput => ({
    nodeId: '9',
    kind: 'image',
    mime: 'image/png',
    file: { filename: `fox_${n}.png`, subfolder: '', type: 'output' },
    backend: 'sim',
  });
  const colours = [RED, GREEN, BLUE, WHITE];
  const readOutput = async (o: GenerationOutput) =>
    solid(32, 32, colours[Number(/\d/.exec(o.file.filename)![0])]!);
  const definition = createImageWorkflows().find((d) => d.id === 'image.txt2img')!;

  it('holds the grid, the caption and the buttons of a batch', async () => {
    const message = await buildResultMessage({
      readOutput,
      record: record({ status: 'succeeded', outputs: [0, 1, 2, 3].map(output) }),
      definition,
      rules,
      uploadLimit: 10 * 1024 * 1024,
      codec,
      requester: '@ann',
    });
    expect(message.text).toBe('a red fox in the snow - @ann\nseed 42 · steps 30');
    expect(message.files).toHaveLength(1);
    expect(message.files![0]).toMatchObject({
      filename: 'grid.png',
      mime: 'image/png',
      kind: 'image',
    });
    expect(await sizeOf(message.files![0]!.data)).toMatchObject({ width: 64, height: 64 });
    expect(labels(message.buttons!)).toEqual([
      ['U1', 'U2', 'U3', 'U4'],
      ['V1', 'V2', 'V3', 'V4'],
      ['🔄'],
    ]);
  });

  it('says so in words when the file cannot fit, and keeps the buttons', async () => {
    const message = await buildResultMessage({
      readOutput,
      record: record({ status: 'succeeded', outputs: [output(0)] }),
      definition,
      rules,
      uploadLimit: 10,
      codec,
    });
    expect(message.files).toBeUndefined();
    expect(message.text).toMatch(
      /\nThe picture is \d+ bytes, more than the 10 bytes this chat accepts, and could not be made small enough\.$/,
    );
    expect(labels(message.buttons!)).toEqual([['Vary', 'Upscale', '🎞 Animate'], ['🔄']]);
  });
});

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowDefinition } from '@comfyrelay/core';
import { describe, expect, it } from 'vitest';
import {
  buildParameters,
  fileNameFor,
  formatProgressLine,
  parameterView,
  workflowsDirFrom,
} from '../src/index.js';
import { tempDir } from './helpers/capture.js';

const definition: WorkflowDefinition = {
  id: 'test.all-types',
  title: 'All types',
  description: 'One parameter of each type',
  template: { '1': { class_type: 'X', inputs: {} } },
  parameters: [
    { name: 'text', type: 'string', bind: { node: '1', input: 'text' } },
    { name: 'count', type: 'integer', bind: { node: '1', input: 'count' } },
    { name: 'scale', type: 'number', bind: { node: '1', input: 'scale' } },
    { name: 'flag', type: 'boolean', bind: { node: '1', input: 'flag' } },
    { name: 'seed', type: 'seed', bind: { node: '1', input: 'seed' } },
    { name: 'mode', type: 'choice', choices: ['1', '2'], bind: { node: '1', input: 'mode' } },
    { name: 'picture', type: 'image', bind: { node: '1', input: 'picture' } },
  ],
  outputs: [],
};

describe('parameters from the command line', () => {
  it('passes each value as typed (core reads it by the parameter type); -p image=NAME names a server file', async () => {
    const input = await buildParameters(
      definition,
      [
        'text=42',
        'count=7',
        'scale=0.5',
        'flag=yes',
        'seed=123',
        'mode=2',
        'picture=on-the-server.png',
        'unknown=x=y',
        'count=8',
      ],
      [],
      '/nonexistent',
      1024,
    );
    expect(input).toEqual({
      text: '42',
      count: '8',
      scale: '0.5',
      flag: 'yes',
      seed: '123',
      mode: '2',
      picture: 'on-the-server.png',
      unknown: 'x=y',
    });
    await expect(buildParameters(definition, ['novalue'], [], '/', 1024)).rejects.toThrow(
      '-p takes NAME=VALUE',
    );
  });

  it('describes fixed and live choices', () => {
    expect(parameterView(definition.parameters[5]!)).toMatchObject({
      choices: ['1', '2'],
      choicesFrom: null,
    });
    const live = parameterView(
      {
        name: 'checkpoint',
        type: 'choice',
        choices: { classType: 'CheckpointLoaderSimple', input: 'ckpt_name' },
        bind: { node: '1', input: 'ckpt' },
      },
      { CheckpointLoaderSimple: { input: { required: { ckpt_name: [['a', 'b']] } } } } as never,
    );
    expect(live).toMatchObject({
      choices: ['a', 'b'],
      choicesFrom: 'CheckpointLoaderSimple.ckpt_name',
    });
  });

  it('the workflow folder: --workflows first, then COMFYRELAY_WORKFLOWS_DIR, relative to cwd; a missing one is refused', async () => {
    const dir = await tempDir();
    try {
      await mkdir(join(dir.path, 'wf'));
      await mkdir(join(dir.path, 'abs'));
      expect(await workflowsDirFrom(undefined, {}, dir.path)).toBeUndefined();
      expect(
        await workflowsDirFrom(undefined, { COMFYRELAY_WORKFLOWS_DIR: '' }, dir.path),
      ).toBeUndefined();
      expect(await workflowsDirFrom(undefined, { COMFYRELAY_WORKFLOWS_DIR: 'wf' }, dir.path)).toBe(
        join(dir.path, 'wf'),
      );
      const abs = join(dir.path, 'abs');
      expect(await workflowsDirFrom(abs, { COMFYRELAY_WORKFLOWS_DIR: 'wf' }, '/srv')).toBe(abs);
      await expect(workflowsDirFrom('nope', {}, dir.path)).rejects.toThrow(
        `--workflows: ${join(dir.path, 'nope')} does not exist`,
      );
      await expect(
        workflowsDirFrom(undefined, { COMFYRELAY_WORKFLOWS_DIR: 'nope' }, dir.path),
      ).rejects.toThrow(/^COMFYRELAY_WORKFLOWS_DIR: .* does not exist$/);
    } finally {
      await dir.remove();
    }
  });
});

describe('saved files', () => {
  const output = (filename: string, mime: string) => ({
    file: { filename, subfolder: '', type: 'output' as const },
    mime,
  });

  it('end in the extension of their MIME type', () => {
    expect(fileNameFor(output('ComfyUI_00001_.png', 'image/png'))).toBe('ComfyUI_00001_.png');
    expect(fileNameFor(output('clip_00001_.mp4', 'video/mp4'))).toBe('clip_00001_.mp4');
    expect(fileNameFor(output('clip_00001_', 'video/mp4'))).toBe('clip_00001_.mp4');
    expect(fileNameFor(output('anim_00001_.png', 'image/webp'))).toBe('anim_00001_.webp');
    expect(fileNameFor(output('anim.v2', 'image/gif'))).toBe('anim.v2.gif');
    expect(fileNameFor(output('movie.webm', 'video/webm'))).toBe('movie.webm');
    expect(fileNameFor(output('photo.jpeg', 'image/jpeg'))).toBe('photo.jpeg');
    expect(fileNameFor(output('../../etc/data.bin', 'application/octet-stream'))).toBe('data.bin');
  });
});

describe('live lines of follow-ups', () => {
  it('name the result they work on', () => {
    expect(
      formatProgressLine(
        { index: 3, label: 'upscale of #1', status: 'succeeded', fraction: 1, outputs: ['b.png'] },
        80,
        2,
      ),
    ).toBe('#3  upscale of #1: done  b.png');
  });
});

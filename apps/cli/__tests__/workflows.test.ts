import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type WorkflowsOutput } from '../src/index.js';
import { fixture, jsonLines, PNG_MAGIC, tempDir, testIO } from './helpers/capture.js';
import { closedPort } from './helpers/net.js';

const CHECKPOINTS = ['my-own-model.safetensors', 'v1-5-pruned-emaonly.safetensors'];

let sim: ComfySimulator;
let dir: { path: string; remove(): Promise<void> };
let folder: string;

beforeAll(async () => {
  sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2, checkpoints: CHECKPOINTS });
  dir = await tempDir();
  // An operator's folder: one workflow exported from ComfyUI, one broken file beside it.
  folder = join(dir.path, 'my-workflows');
  await mkdir(folder);
  await copyFile(fixture('workflows/sd15-txt2img.json'), join(folder, 'portrait.json'));
  await writeFile(join(folder, 'broken.json'), '{ "3": { "class_type": ');
});

afterAll(async () => {
  await sim?.stop();
  await dir?.remove();
});

async function workflows(args: string[], env: Record<string, string> = {}) {
  const io = testIO({ cwd: dir.path, env });
  const code = await main(['workflows', ...args], io);
  return { code, io };
}

async function listJson(args: string[] = [], env: Record<string, string> = {}) {
  const { code, io } = await workflows([...args, '--json'], env);
  expect(io.stdout.lines()).toHaveLength(1);
  return { code, io, output: JSON.parse(io.stdout.text) as WorkflowsOutput };
}

describe('comfyrelay workflows', () => {
  it('--json lists every plugin workflow with its parameters, outputs and actions, from the definitions alone', async () => {
    const { code, io, output } = await listJson();
    expect(io.stderr.text).toBe('');
    expect(code).toBe(0);
    const ids = output.workflows.map((workflow) => workflow.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'image.txt2img',
        'image.flux',
        'image.upscale',
        'video.text-to-video',
        'video.image-to-video',
      ]),
    );
    expect(output.folder).toBeNull();
    expect(output.comfy).toEqual([]);

    const txt2img = output.workflows.find((workflow) => workflow.id === 'image.txt2img');
    expect(txt2img).toMatchObject({
      title: expect.any(String),
      description: expect.any(String),
      plugin: '@comfyrelay/plugin-image',
    });
    const parameter = (name: string) => txt2img?.parameters.find((p) => p.name === name);
    expect(parameter('prompt')).toMatchObject({ type: 'string', required: true });
    expect(parameter('steps')).toMatchObject({
      type: 'integer',
      required: false,
      default: 20,
      min: 1,
      max: 100,
    });
    expect(parameter('seed')).toMatchObject({ type: 'seed', default: null });
    // Live choices without a server: where they come from, not the list.
    expect(parameter('checkpoint')).toMatchObject({
      type: 'choice',
      choices: null,
      choicesFrom: 'CheckpointLoaderSimple.ckpt_name',
    });
    expect(txt2img?.outputs).toEqual([{ node: '9', kind: 'image', mime: 'image/png' }]);
    expect(txt2img?.actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'reroll', workflow: 'image.txt2img' }),
        expect.objectContaining({
          id: 'upscale',
          workflow: 'image.upscale',
          usesOutputImage: true,
        }),
      ]),
    );

    const i2v = output.workflows.find((workflow) => workflow.id === 'video.image-to-video');
    expect(i2v?.plugin).toBe('@comfyrelay/plugin-video');
    expect(i2v?.parameters.find((p) => p.name === 'image')).toMatchObject({
      type: 'image',
      required: true,
    });
    expect(i2v?.parameters.find((p) => p.name === 'frames')).toMatchObject({
      type: 'integer',
      min: 5,
      max: 121,
    });
    expect(i2v?.outputs).toEqual([expect.objectContaining({ kind: 'video', mime: 'video/mp4' })]);
  });

  it('with --comfy the live choices are read from the server', async () => {
    const { code, output } = await listJson(['--comfy', sim.url]);
    expect(code).toBe(0);
    expect(output.comfy).toEqual([{ url: sim.url, checked: true }]);
    const txt2img = output.workflows.find((workflow) => workflow.id === 'image.txt2img');
    expect(txt2img?.parameters.find((p) => p.name === 'checkpoint')).toMatchObject({
      choices: CHECKPOINTS,
      choicesFrom: 'CheckpointLoaderSimple.ckpt_name',
    });
    const sampler = txt2img?.parameters.find((p) => p.name === 'sampler');
    expect(sampler?.choices).toEqual(expect.arrayContaining(['euler', 'dpmpp_2m']));
  });

  it('lists in words; an unreachable server only means no live choices', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { code, io } = await workflows(['--comfy', url]);
    expect(code).toBe(0);
    expect(io.stderr.text).toContain(`cannot reach ComfyUI at ${url}`);
    const text = io.stdout.text;
    expect(text).toMatch(/^\d+ workflows \(6 from plugin-image, 2 from plugin-video\)$/m);
    expect(text).toContain('image.txt2img  Text to image');
    expect(text).toContain('from ComfyUI: CheckpointLoaderSimple.ckpt_name');
    expect(text).toMatch(/steps +integer +default 20; 1 to 100/);
    expect(text).toContain('upscale → image.upscale');
  });

  it('<id> shows one workflow like a command --help; an unknown id exits 2 with the list', async () => {
    const { code, io } = await workflows(['image.txt2img', '--comfy', sim.url]);
    expect(code).toBe(0);
    const text = io.stdout.text;
    expect(text).toContain('Usage: comfyrelay generate image.txt2img -p prompt=TEXT');
    expect(text).toMatch(/-p steps=N +Sampling steps\. Default 20; 1 to 100\./);
    expect(text).toContain(
      `from ComfyUI (CheckpointLoaderSimple.ckpt_name): ${CHECKPOINTS.join(', ')}`,
    );
    expect(text).toMatch(/upscale +Upscale, runs image\.upscale/);

    const i2v = await workflows(['video.image-to-video']);
    expect(i2v.io.stdout.text).toContain('--image image=PATH');

    const unknown = await workflows(['image.nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.io.stderr.text).toContain('there is no workflow "image.nope"');
    expect(unknown.io.stderr.text).toContain('video.image-to-video');
  });

  it('--workflows DIR adds the folder as custom.<name>; a broken file beside it is reported, not fatal', async () => {
    const { code, output } = await listJson(['--workflows', folder, '--comfy', sim.url]);
    expect(code).toBe(0);
    const custom = output.workflows.find((workflow) => workflow.id === 'custom.portrait');
    expect(custom).toMatchObject({ plugin: 'folder-workflows' });
    expect(custom?.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['prompt', 'seed', 'steps', 'width', 'height']),
    );
    expect(output.workflows.map((workflow) => workflow.id)).toContain('image.txt2img');
    expect(output.folder?.dir).toBe(folder);
    expect(output.folder?.failures.map((failure) => failure.file)).toEqual([
      join(folder, 'broken.json'),
    ]);
    expect(output.problems).toEqual([
      expect.stringContaining('broken.json: the file is not valid JSON'),
    ]);

    // COMFYRELAY_WORKFLOWS_DIR does the same, relative to the working directory; in words too.
    const { code: textCode, io } = await workflows([], {
      COMFYRELAY_WORKFLOWS_DIR: 'my-workflows',
    });
    expect(textCode).toBe(0);
    expect(io.stdout.text).toContain(`1 from the folder ${folder}`);
    expect(io.stdout.text).toContain(`note: skipped ${join(folder, 'broken.json')}`);
    expect(io.stdout.text).toContain('custom.portrait  Portrait  [your workflow folder]');
  });

  it('generate runs a folder workflow by its custom id', async () => {
    const out = join(dir.path, 'out');
    const io = testIO({ cwd: dir.path });
    const code = await main(
      [
        'generate',
        'custom.portrait',
        '--workflows',
        folder,
        '-p',
        'prompt=a lighthouse',
        '-p',
        'steps=2',
        '-p',
        'width=64',
        '-p',
        'height=64',
        '--comfy',
        sim.url,
        '--out',
        out,
        '--json',
      ],
      io,
    );
    expect(code).toBe(0);
    // The broken file is mentioned, the run goes on.
    expect(io.stderr.text).toContain('broken.json');
    const lines = jsonLines(io.stdout);
    expect(lines[0]).toMatchObject({ type: 'submitted', workflow: 'custom.portrait' });
    const done = lines.at(-1) as { type: string; outputs: string[] };
    expect(done.type).toBe('succeeded');
    expect((await readFile(done.outputs[0] as string)).subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  });
});

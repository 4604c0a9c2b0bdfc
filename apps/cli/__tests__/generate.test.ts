import { readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { jsonLines, PNG_MAGIC, tempDir, testIO } from './helpers/capture.js';
import { gradientPng, pngSize } from '@comfyrelay/testkit';

type Line = Record<string, unknown> & { type: string; index: number };

let sim: ComfySimulator;
let out: { path: string; remove(): Promise<void> };

beforeAll(async () => {
  sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
  out = await tempDir();
});

afterAll(async () => {
  await sim?.stop();
  await out?.remove();
});

async function generate(args: string[], env: Record<string, string> = {}) {
  const io = testIO({ cwd: out.path, env });
  const code = await main(['generate', ...args, '--comfy', sim.url, '--out', out.path], io);
  return { code, io };
}

async function generateJson(args: string[]) {
  const { code, io } = await generate([...args, '--json']);
  return { code, io, lines: jsonLines(io.stdout) as Line[] };
}

/** Every request the simulator answers while `run` runs. */
async function requestsDuring<T>(
  run: () => Promise<T>,
): Promise<{ result: T; requests: string[] }> {
  const requests: string[] = [];
  const listener = (request: { method: string; path: string }) =>
    requests.push(`${request.method} ${request.path}`);
  sim.on('http', listener);
  try {
    return { result: await run(), requests };
  } finally {
    sim.off('http', listener);
  }
}

describe('comfyrelay generate', () => {
  it('runs image.txt2img from -p parameters and saves a real PNG (--json lines as run)', async () => {
    const { code, io, lines } = await generateJson([
      'image.txt2img',
      '-p',
      'prompt=a cat',
      '-p',
      'steps=3',
    ]);
    expect(io.stderr.text).toBe('');
    expect(code).toBe(0);
    const types = lines.map((line) => line.type);
    expect(types[0]).toBe('submitted');
    expect(types).toContain('queued');
    expect(types).toContain('started');
    expect(types).toContain('progress');
    expect(types.at(-1)).toBe('succeeded');

    const submitted = lines[0] as Line & { seeds: Record<string, number> };
    expect(submitted).toMatchObject({ index: 1, workflow: 'image.txt2img' });
    expect(typeof submitted.seeds['seed']).toBe('number');
    const progress = lines.filter((line) => line.type === 'progress' && line['step'] !== null);
    expect(progress.every((line) => line['stepTotal'] === 3)).toBe(true);

    const done = lines.at(-1) as Line & { outputs: string[] };
    expect(done.outputs).toHaveLength(1);
    const path = done.outputs[0] as string;
    expect(extname(path)).toBe('.png');
    expect((await readFile(path)).subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  });

  it('--count 2 runs two generations at once, each with its own random seed', async () => {
    const { code, lines } = await generateJson([
      'image.txt2img',
      '-p',
      'prompt=two cats',
      '-p',
      'steps=2',
      '--count',
      '2',
    ]);
    expect(code).toBe(0);
    const submitted = lines.filter((line) => line.type === 'submitted') as (Line & {
      seeds: { seed: number };
    })[];
    expect(submitted.map((line) => line.index).sort()).toEqual([1, 2]);
    const seeds = submitted.map((line) => line.seeds.seed);
    expect(new Set(seeds).size).toBe(2);
    const succeeded = lines.filter((line) => line.type === 'succeeded') as (Line & {
      outputs: string[];
    })[];
    expect(succeeded).toHaveLength(2);
    expect(new Set(succeeded.flatMap((line) => line.outputs)).size).toBe(2);
  });

  it('refuses a parameter out of range in plain words, exit 2, before anything reaches ComfyUI', async () => {
    const { result, requests } = await requestsDuring(() =>
      generate(['image.txt2img', '-p', 'prompt=a cat', '-p', 'steps=999']),
    );
    expect(result.code).toBe(2);
    expect(result.io.stdout.text).toBe('');
    const message = result.io.stderr.text;
    expect(message).toContain('steps must be at most 100 (got 999)');
    expect(message).toContain('nothing was sent to ComfyUI');
    expect(message).toContain('comfyrelay workflows image.txt2img');
    // The server was asked (is it up? which checkpoints?) but given nothing.
    expect(requests).toContain('GET /system_stats');
    expect(requests.filter((request) => request.startsWith('POST'))).toEqual([]);
    expect(requests.some((request) => request.includes('/prompt'))).toBe(false);
  });

  it('refuses every problem at once: missing required, unknown parameter, wrong type, unknown live choice', async () => {
    const { result, requests } = await requestsDuring(() =>
      generate([
        'image.txt2img',
        '-p',
        'stepz=3',
        '-p',
        'cfg=lots',
        '-p',
        'checkpoint=nope.safetensors',
      ]),
    );
    expect(result.code).toBe(2);
    const message = result.io.stderr.text;
    expect(message).toContain('prompt is required');
    expect(message).toContain('"stepz" is not a parameter');
    expect(message).toContain('Its parameters: prompt, negative');
    expect(message).toContain('cfg must be a number');
    expect(message).toMatch(
      /checkpoint "nope.safetensors" is not available; choose one of: .*v1-5-pruned-emaonly/,
    );
    expect(requests.filter((request) => request.startsWith('POST'))).toEqual([]);
  });

  it('an unknown workflow id exits 2 listing the available ones; so does an unknown action', async () => {
    const unknown = await generate(['image.txt2im', '-p', 'prompt=x']);
    expect(unknown.code).toBe(2);
    expect(unknown.io.stderr.text).toContain('there is no workflow "image.txt2im"');
    for (const id of ['image.txt2img', 'image.flux', 'video.text-to-video', 'video.image-to-video'])
      expect(unknown.io.stderr.text).toContain(id);

    const action = await generate([
      'image.upscale',
      '--image',
      'image=x.png',
      '--action',
      'reroll',
    ]);
    expect(action.code).toBe(2);
    expect(action.io.stderr.text).toContain('image.upscale offers no follow-up action "reroll"');
  });

  it('runs video.image-to-video with --image PATH (read and uploaded) and saves an .mp4', async () => {
    const picture = join(out.path, 'start-frame.png');
    await writeFile(picture, gradientPng(64, 48));
    const { result, requests } = await requestsDuring(() =>
      generateJson([
        'video.image-to-video',
        '--image',
        `image=${picture}`,
        '-p',
        'frames=9',
        '-p',
        'steps=2',
      ]),
    );
    expect(result.io.stderr.text).toBe('');
    expect(result.code).toBe(0);
    expect(requests).toContain('POST /upload/image');
    const done = result.lines.at(-1) as Line & { outputs: string[] };
    expect(done.type).toBe('succeeded');
    const path = done.outputs[0] as string;
    expect(extname(path)).toBe('.mp4');
    const data = await readFile(path);
    expect(data.subarray(4, 8).toString('ascii')).toBe('ftyp');
  });

  it('refuses an image file that is missing or not a picture (exit 2, nothing sent)', async () => {
    const missing = await generate(['image.upscale', '--image', 'image=nowhere.png']);
    expect(missing.code).toBe(2);
    expect(missing.io.stderr.text).toContain('image file not found');
    const text = join(out.path, 'notes.txt');
    await writeFile(text, 'hello');
    const notPicture = await generate(['image.upscale', '--image', `image=${text}`]);
    expect(notPicture.code).toBe(2);
    expect(notPicture.io.stderr.text).toContain('is not a PNG, JPEG, WebP or GIF picture');
    const notImage = await generate(['image.txt2img', '--image', `prompt=${text}`]);
    expect(notImage.code).toBe(2);
    expect(notImage.io.stderr.text).toContain('image.txt2img has no image parameter "prompt"');
  });

  it('--action upscale runs the follow-up on each result and saves both: the second PNG is bigger', async () => {
    const { code, io, lines } = await generateJson([
      'image.txt2img',
      '-p',
      'prompt=x',
      '-p',
      'steps=2',
      // The simulator saves at most 256 px a side: start small so the upscale shows.
      '-p',
      'width=64',
      '-p',
      'height=64',
      '--action',
      'upscale',
    ]);
    expect(io.stderr.text).toBe('');
    expect(code).toBe(0);
    const submitted = lines.filter((line) => line.type === 'submitted');
    expect(submitted.find((line) => line.index === 2)).toMatchObject({
      workflow: 'image.upscale',
      action: 'upscale',
      of: 1,
    });
    const succeeded = lines.filter((line) => line.type === 'succeeded') as (Line & {
      outputs: string[];
    })[];
    expect(succeeded.map((line) => line.index)).toEqual([1, 2]);
    const [original, upscaled] = await Promise.all(
      succeeded.map(async (line) => readFile(line.outputs[0] as string)),
    );
    expect(original?.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(upscaled?.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    const before = pngSize(original as Buffer);
    const after = pngSize(upscaled as Buffer);
    expect(after.width).toBeGreaterThan(before.width);
    expect(after.height).toBeGreaterThan(before.height);
  });

  it('without --json: plain lines, the follow-up named after the result it works on', async () => {
    const { code, io } = await generate([
      'image.txt2img',
      '-p',
      'prompt=x',
      '-p',
      'steps=2',
      '-p',
      'width=64',
      '-p',
      'height=64',
      '--action',
      'reroll',
    ]);
    expect(code).toBe(0);
    expect(io.stdout.text).toMatch(/^#1 submitted as prompt \S+ \(image\.txt2img, seed=\d+\)$/m);
    expect(io.stdout.text).toMatch(/^#1 done: \S+\.png$/m);
    expect(io.stdout.text).toMatch(/^#2 reroll of #1: done: \S+\.png$/m);
    expect(io.stdout.text).not.toContain('\x1b[');
  });

  it('a result that fails exits 1, and its follow-up is reported as not run', async () => {
    sim.faults.failHttp(/^\/view/, 500, 'disk full');
    try {
      const { code, lines } = await generateJson([
        'image.txt2img',
        '-p',
        'prompt=x',
        '-p',
        'steps=2',
        '--action',
        'upscale',
      ]);
      expect(code).toBe(1);
      const failed = lines.filter((line) => line.type === 'failed') as (Line & {
        error: { code: string; message: string };
      })[];
      expect(failed.map((line) => [line.index, line.error.code])).toEqual([
        [1, 'save'],
        [2, 'skipped'],
      ]);
      expect(failed[1]?.error.message).toBe('not run: #1 failed');
    } finally {
      sim.faults.clear();
    }
  });
});

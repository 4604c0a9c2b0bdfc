import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { pngSize, solidPng } from '@comfyrelay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { fixture, jsonLines, tempDir, testIO } from './helpers/capture.js';

/** What `--set`, `--force` and `--image` make of a file, seen from the prompt the server got. */

let sim: ComfySimulator;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: 5 });
  dir = await tempDir();
  await writeFile(
    join(dir.path, 'linked-seed.json'),
    JSON.stringify({
      '1': { class_type: 'TestProgressNode', inputs: { seed: ['3', 0], steps: 2, delay: 0.01 } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'forced' } },
      '3': { class_type: 'SeedFromSomewhere', inputs: { seed: 5 } },
    }),
  );
  await writeFile(
    join(dir.path, 'picture.json'),
    JSON.stringify({
      '10': { class_type: 'LoadImage', inputs: { image: 'example.png' } },
      '11': { class_type: 'SaveImage', inputs: { images: ['10', 0], filename_prefix: 'pic' } },
    }),
  );
  await writeFile(join(dir.path, 'cat.png'), solidPng(20, 10));
});

afterAll(async () => {
  await sim?.stop();
  await dir?.remove();
});

async function run(args: string[]) {
  const queued = sim.nextEvent('prompt-queued', undefined, 60_000);
  const io = testIO({ cwd: dir.path });
  const code = await main([...args, '--json', '--comfy', sim.url, '--out', dir.path], io);
  const prompt =
    code === 0
      ? ((await queued).prompt as Record<string, { inputs: Record<string, unknown> }>)
      : undefined;
  if (code !== 0) void queued.catch(() => {});
  return { code, io, prompt, lines: jsonLines(io.stdout) };
}

describe('comfyrelay run: inputs', () => {
  it('--force replaces a link with the value, says so, and leaves out the node that fed only it', async () => {
    const refused = await run(['run', 'linked-seed.json', '--set', '1.seed=42']);
    expect(refused.code).toBe(2);
    expect(refused.io.stderr.text).toContain('Add --force to replace the link with this value');

    const { code, io, prompt } = await run([
      'run',
      'linked-seed.json',
      '--set',
      '1.seed=42',
      '--force',
    ]);
    expect(code).toBe(0);
    expect(io.stderr.text).toBe(
      'comfyrelay run: --force: 1.seed was linked to node 3 (output 0); that link is replaced by 42 (node 3 (SeedFromSomewhere) no longer feeds anything and is left out)\n',
    );
    expect(prompt?.['1']?.inputs['seed']).toBe(42);
    expect(prompt?.['3']).toBeUndefined();
  });

  it('an input the file leaves out but the node class has is set, typed by the class', async () => {
    const { code, prompt } = await run([
      'run',
      fixture('progress_save.json'),
      '--set',
      '1.send_preview=yes',
      '--set',
      '1.steps=2',
    ]);
    expect(code).toBe(0);
    expect(prompt?.['1']?.inputs).toMatchObject({ send_preview: true, steps: 2 });
  });

  it('--image NODE=PATH and --set NODE.image=PATH upload the picture for a LoadImage node', async () => {
    for (const given of [
      ['--image', '10=cat.png'],
      ['--set', '10.image=cat.png'],
    ]) {
      const { code, prompt, lines } = await run(['run', 'picture.json', ...given]);
      expect(code).toBe(0);
      expect(prompt?.['10']?.inputs['image']).toMatch(/^comfyrelay\/cat.*\.png$/);
      const saved = lines.find((line) => line['type'] === 'succeeded')?.['outputs'] as string[];
      expect(pngSize(await readFile(saved[0] as string))).toEqual({ width: 20, height: 10 });
    }
  });

  it('a name that is not a file here is a file ComfyUI already has', async () => {
    const { code, io } = await run(['run', 'picture.json', '--set', '10.image=on-the-server.png']);
    expect(code).toBe(1);
    expect(io.stderr.text).toContain(
      'comfyrelay run: warning: node 10 (LoadImage) input "image" is "on-the-server.png", which is not in this ComfyUI server\'s input folder',
    );
  });
});

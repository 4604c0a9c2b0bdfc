import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { PNG_MAGIC, pngSize, solidPng } from '@comfyrelay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, tempDir } from './helpers/capture.js';
import { buildBin, spawnBin } from './helpers/childBin.js';

/**
 * Relative paths are the user's: the built binary in a child process whose working directory
 * is a subfolder reads the workflow, the picture and the output folder from there; under
 * `pnpm comfyrelay` (which runs in the repository root) from the folder it was typed in.
 */

let sim: ComfySimulator;
let root: Awaited<ReturnType<typeof tempDir>>;
let sub: string;

beforeAll(async () => {
  await buildBin();
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: 5 });
  root = await tempDir('comfyrelay-paths-');
  sub = join(root.path, 'projects', 'lighthouse');
  await mkdir(sub, { recursive: true });
  await writeFile(join(sub, 'flow.json'), await readFile(fixture('progress_save.json')));
  await writeFile(join(sub, 'cat.png'), solidPng(24, 16, [10, 200, 30]));
  await writeFile(
    join(sub, 'picture.json'),
    JSON.stringify({
      '1': { class_type: 'LoadImage', inputs: { image: 'example.png' } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'cat' } },
    }),
  );
}, 180_000);

afterAll(async () => {
  await sim?.stop();
  await root?.remove();
});

type Line = { type: string; outputs?: string[] };

async function expectSavedPngs(lines: Line[], folder: string): Promise<void> {
  const saved = lines.filter((line) => line.type === 'succeeded').flatMap((l) => l.outputs ?? []);
  expect(saved.length).toBeGreaterThan(0);
  for (const path of saved) {
    expect(path.startsWith(`${folder}/`)).toBe(true);
    expect((await readFile(path)).subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  }
}

describe('paths relative to where the command is typed', () => {
  it('in a subfolder: the workflow, --image and --out are read from there', async () => {
    const uploads: string[] = [];
    const onHttp = (e: { method: string; path: string }) => {
      if (e.method === 'POST') uploads.push(e.path);
    };
    sim.on('http', onHttp);
    const run = spawnBin(
      [
        'run',
        'picture.json',
        '--image',
        '1=cat.png',
        '--out',
        'renders',
        '--json',
        '--comfy',
        sim.url,
      ],
      { cwd: sub },
    );
    expect(await run.exit, run.stderr()).toBe(0);
    sim.off('http', onHttp);
    expect(uploads).toContain('/upload/image');
    const lines = run.json() as Line[];
    await expectSavedPngs(lines, join(sub, 'renders'));
    // The picture of the subfolder went through: the saved image has its size.
    const saved = lines.find((line) => line.type === 'succeeded')?.outputs?.[0] as string;
    expect(pngSize(await readFile(saved))).toEqual({ width: 24, height: 16 });
  });

  it('the default output folder is ./outputs of the subfolder, and the terminal lines show it relative', async () => {
    const run = spawnBin(['run', 'flow.json', '--comfy', sim.url], { cwd: sub });
    expect(await run.exit, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/^#1 done: outputs\/harness_\d+_(-\d+)?\.png$/m);
    expect((await stat(join(sub, 'outputs'))).isDirectory()).toBe(true);
  });

  it('under "pnpm comfyrelay" (run in the repository root): from the folder it was typed in', async () => {
    const run = spawnBin(
      ['run', 'flow.json', '--out', 'typed-here', '--json', '--comfy', sim.url],
      {
        cwd: root.path,
        env: { INIT_CWD: sub, npm_lifecycle_event: 'comfyrelay' },
      },
    );
    expect(await run.exit, run.stderr()).toBe(0);
    await expectSavedPngs(run.json() as Line[], join(sub, 'typed-here'));
  });

  it("another package script's INIT_CWD is not the user's directory", async () => {
    const run = spawnBin(['workflow', 'check', 'flow.json'], {
      cwd: root.path,
      env: { INIT_CWD: sub, npm_lifecycle_event: 'test' },
    });
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(
      `comfyrelay workflow: workflow file not found: ${join(root.path, 'flow.json')}\n`,
    );
  });
});

import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SimDirs } from './dirs.js';

export interface PreparedDirs {
  dirs: SimDirs;
  /** A temp dir the simulator created itself and removes on stop(). */
  ownedBaseDir: string | undefined;
}

export async function prepareDirs(options: {
  outputDir?: string;
  inputDir?: string;
  tempDir?: string;
}): Promise<PreparedDirs> {
  const needsBase = !options.outputDir || !options.inputDir || !options.tempDir;
  const base = needsBase ? await mkdtemp(path.join(os.tmpdir(), 'comfyui-sim-')) : undefined;
  const pick = (given: string | undefined, name: string): string =>
    path.resolve(given ?? path.join(base ?? os.tmpdir(), name));
  const dirs: SimDirs = {
    output: pick(options.outputDir, 'output'),
    input: pick(options.inputDir, 'input'),
    temp: pick(options.tempDir, 'temp'),
  };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true })));
  return { dirs, ownedBaseDir: base };
}

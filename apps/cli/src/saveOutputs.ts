import { open } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { GenerationOutput } from '@comfyrelay/core';

/**
 * Download each output and write it into `dir` under its ComfyUI file name. A name already
 * taken (another generation, an earlier run) gets a numbered suffix instead of being overwritten.
 * Returns the saved paths in output order.
 */
export async function saveOutputs(
  outputs: readonly GenerationOutput[],
  read: (output: GenerationOutput) => Promise<Buffer>,
  dir: string,
): Promise<string[]> {
  const paths: string[] = [];
  for (const output of outputs)
    paths.push(await writeNewFile(dir, safeName(output.file.filename), await read(output)));
  return paths;
}

/** Creates the file exclusively ('wx'), so concurrent generations can never pick the same name. */
export async function writeNewFile(dir: string, name: string, data: Uint8Array): Promise<string> {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  for (let attempt = 0; ; attempt++) {
    const path = join(dir, attempt === 0 ? name : `${stem}-${attempt}${extension}`);
    let file;
    try {
      file = await open(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      await file.writeFile(data);
    } finally {
      await file.close();
    }
    return path;
  }
}

/** The server picks the name: keep only its last segment so it cannot escape `dir`. */
function safeName(filename: string): string {
  const name = basename(filename.replaceAll('\\', '/'));
  return name && name !== '.' && name !== '..' ? name : 'output';
}

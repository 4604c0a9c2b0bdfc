import { open } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { GenerationOutput } from '@comfyrelay/core';

/**
 * Download each output and write it into `dir` under its ComfyUI file name, with the extension
 * of its MIME type (a video ComfyUI named oddly still ends in .mp4). A name already taken
 * (another generation, an earlier run) gets a numbered suffix instead of being overwritten.
 * Returns the saved paths in output order.
 */
export async function saveOutputs(
  outputs: readonly GenerationOutput[],
  read: (output: GenerationOutput) => Promise<Buffer>,
  dir: string,
): Promise<string[]> {
  const paths: string[] = [];
  for (const output of outputs)
    paths.push(await writeNewFile(dir, fileNameFor(output), await read(output)));
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

/** The extensions each MIME type is saved with; the first is added when the name has none of them. */
const EXTENSIONS: Record<string, readonly string[]> = {
  'image/png': ['.png'],
  'image/webp': ['.webp'],
  'image/gif': ['.gif'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'video/mp4': ['.mp4', '.m4v'],
  'video/webm': ['.webm'],
  'video/quicktime': ['.mov'],
  'video/x-matroska': ['.mkv'],
};

/** ComfyUI's name, made safe, ending in the extension of the output's MIME type. */
export function fileNameFor(output: Pick<GenerationOutput, 'file' | 'mime'>): string {
  const name = safeName(output.file.filename);
  const wanted = EXTENSIONS[output.mime.toLowerCase()];
  if (!wanted) return name;
  const extension = extname(name).toLowerCase();
  if (wanted.includes(extension)) return name;
  const stem =
    extension && Object.values(EXTENSIONS).some((list) => list.includes(extension))
      ? name.slice(0, name.length - extension.length)
      : name;
  return `${stem}${wanted[0] ?? ''}`;
}

/** The server picks the name: keep only its last segment so it cannot escape `dir`. */
function safeName(filename: string): string {
  const name = basename(filename.replaceAll('\\', '/'));
  return name && name !== '.' && name !== '..' ? name : 'output';
}

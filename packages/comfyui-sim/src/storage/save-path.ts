import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from './dirs.js';

export interface SavePath {
  folder: string;
  subfolder: string;
  filename: string;
  counter: number;
}

/**
 * ComfyUI's get_save_image_path: the prefix may contain a subfolder, and the counter continues
 * after the highest `{filename}_{NNNNN}_` already on disk, so restarts never overwrite outputs.
 */
export async function resolveSavePath(
  root: string,
  filenamePrefix: string,
  width: number,
  height: number,
): Promise<SavePath> {
  const prefix = filenamePrefix
    .replaceAll('%width%', String(width))
    .replaceAll('%height%', String(height));
  const normalised = path.normalize(prefix);
  const subfolder = path.dirname(normalised) === '.' ? '' : path.dirname(normalised);
  const filename = path.basename(normalised);
  const folder = path.resolve(root, subfolder);
  if (!isInside(root, folder)) {
    throw new Error(
      `**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: ${folder}\n output_dir: ${root}`,
    );
  }
  await mkdir(folder, { recursive: true });
  const counter = highestCounter(await readdir(folder), filename) + 1;
  return { folder, subfolder, filename, counter };
}

function highestCounter(entries: string[], filename: string): number {
  let highest = 0;
  for (const entry of entries) {
    if (entry.slice(0, filename.length + 1) !== `${filename}_`) continue;
    const digits = entry.slice(filename.length + 1).split('_')[0] ?? '';
    if (/^\d+$/.test(digits)) highest = Math.max(highest, Number(digits));
  }
  return highest;
}

export function counterFilename(filename: string, counter: number, extension = 'png'): string {
  return `${filename}_${String(counter).padStart(5, '0')}_.${extension}`;
}

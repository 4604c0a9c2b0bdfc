import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodePng } from '../image/png-encode.js';
import type { RgbImage } from '../image/rgb-image.js';
import type { FolderType } from '../storage/dirs.js';
import { counterFilename, resolveSavePath } from '../storage/save-path.js';
import { pyJson } from '../util/py-json.js';
import type { NodeRunContext } from './types.js';
import { isPlainObject } from '../prompt.js';

export interface SavedImage {
  filename: string;
  subfolder: string;
  type: FolderType;
}

/** Writes a batch as `{prefix}_{counter:05}_.png`, embedding the prompt like ComfyUI's SaveImage. */
export async function saveImages(
  ctx: NodeRunContext,
  images: readonly RgbImage[],
  type: FolderType,
  filenamePrefix: string,
  compressLevel: number,
): Promise<SavedImage[]> {
  const root = ctx.dirs[type];
  const first = images[0];
  const target = await resolveSavePath(root, filenamePrefix, first?.width ?? 0, first?.height ?? 0);
  const text = pngText(ctx);
  const saved: SavedImage[] = [];
  let counter = target.counter;
  for (const [batchNumber, image] of images.entries()) {
    const filename = counterFilename(
      target.filename.replaceAll('%batch_num%', String(batchNumber)),
      counter,
    );
    await writeFile(path.join(target.folder, filename), encodePng(image, text, compressLevel));
    saved.push({ filename, subfolder: target.subfolder, type });
    counter++;
  }
  return saved;
}

export function pngText(ctx: NodeRunContext): Record<string, string> {
  const text: Record<string, string> = { prompt: pyJson(ctx.prompt) };
  if (isPlainObject(ctx.extraPngInfo)) {
    for (const [key, value] of Object.entries(ctx.extraPngInfo)) text[key] = pyJson(value);
  }
  return text;
}

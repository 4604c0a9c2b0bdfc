import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodePng } from '../image/png-encode.js';
import { cappedSize, MAX_SAVED_SIDE, resizeImage } from '../image/rgb-image.js';
import type { FolderType } from '../storage/dirs.js';
import { counterFilename, resolveSavePath } from '../storage/save-path.js';
import { pyJson } from '../util/py-json.js';
import type { NodeRunContext } from './types.js';
import type { ImageValue } from './values.js';
import { isPlainObject } from '../prompt.js';

export interface SavedImage {
  filename: string;
  subfolder: string;
  type: FolderType;
}

/**
 * Writes a batch as `{prefix}_{counter:05}_.png`, embedding the prompt like ComfyUI's SaveImage,
 * at the size the batch stands for (a 512×512 request saves 512×512), up to {@link MAX_SAVED_SIDE}.
 */
export async function saveImages(
  ctx: NodeRunContext,
  batch: ImageValue,
  type: FolderType,
  filenamePrefix: string,
  compressLevel: number,
): Promise<SavedImage[]> {
  const root = ctx.dirs[type];
  const [width, height] = cappedSize(batch.width, batch.height, MAX_SAVED_SIDE);
  const images = batch.images.map((image) => resizeImage(image, width, height));
  const target = await resolveSavePath(root, filenamePrefix, width, height);
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

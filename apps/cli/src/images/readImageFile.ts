import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImageInput } from '@comfyrelay/core';
import { RefusedError } from '../errors.js';
import { describeFileProblem } from '../fileProblem.js';
import { formatBytes } from '../settings/uploadLimit.js';
import { IMAGE_HEADER_BYTES, imageFormat } from './imageFormat.js';

/**
 * A picture file for upload, refused in words before it is read whole: too big for the limit
 * (checked from its size on disk), not a PNG/JPEG/WebP/GIF (checked from its first bytes),
 * missing, a folder or unreadable.
 */
export async function readImageFile(path: string, maxBytes: number): Promise<ImageInput> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new RefusedError(
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `image file not found: ${path}`
        : `cannot read the image: ${describeFileProblem(error, path, 'read')}`,
    );
  }
  try {
    const info = await file.stat();
    if (info.isDirectory()) throw new RefusedError(`${path} is a folder; give a picture file`);
    if (info.size > maxBytes) {
      throw new RefusedError(
        `${path} is ${formatBytes(info.size)}, more than the ${formatBytes(maxBytes)} a picture upload may be (ComfyUI's own limit is 100 MB unless started with --max-upload-size); make it smaller, or raise COMFYRELAY_MAX_UPLOAD_MB if your server takes more`,
      );
    }
    const header = new Uint8Array(IMAGE_HEADER_BYTES);
    const { bytesRead } = await file.read(header, 0, IMAGE_HEADER_BYTES, 0);
    if (!imageFormat(header.subarray(0, bytesRead)))
      throw new RefusedError(`${path} is not a PNG, JPEG, WebP or GIF picture`);
    const data = await file.readFile();
    return { data, filename: basename(path) };
  } catch (error) {
    if (error instanceof RefusedError) throw error;
    throw new RefusedError(`cannot read the image: ${describeFileProblem(error, path, 'read')}`);
  } finally {
    await file.close();
  }
}

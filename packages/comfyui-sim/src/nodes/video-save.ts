import path from 'node:path';
import type { RgbImage } from '../image/rgb-image.js';
import { counterFilename, resolveSavePath } from '../storage/save-path.js';
import { encodeVideo, type VideoEncoding } from '../video/ffmpeg.js';
import type { SavedImage } from './save-images.js';
import type { NodeRunContext } from './types.js';

/** Writes `{prefix}_{counter:05}_.{extension}` to the output folder, as ComfyUI's video savers name files. */
export async function saveVideoFile(
  ctx: NodeRunContext,
  frames: readonly RgbImage[],
  fps: number,
  encoding: VideoEncoding,
  filenamePrefix: string,
  extension: string,
): Promise<SavedImage> {
  const first = frames[0];
  const target = await resolveSavePath(
    ctx.dirs.output,
    filenamePrefix,
    first?.width ?? 0,
    first?.height ?? 0,
  );
  const filename = counterFilename(target.filename, target.counter, extension);
  await encodeVideo(frames, fps, encoding, path.join(target.folder, filename), ctx.signal);
  return { filename, subfolder: target.subfolder, type: 'output' };
}

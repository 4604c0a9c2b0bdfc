import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cappedSize, MAX_VIDEO_SIDE, resizeImage, type RgbImage } from '../image/rgb-image.js';
import { NodeFailure } from '../nodes/types.js';

/** The ffmpeg build shipped in the npm package @ffmpeg-installer/linux-x64 (libx264, libvpx-vp9, libaom, libwebp, gif). */
const FFMPEG_PACKAGE = '@ffmpeg-installer/linux-x64';

export type VideoEncoding =
  | { container: 'mp4'; crf?: number }
  | { container: 'webm'; codec: 'vp9' | 'av1'; crf?: number }
  | { container: 'webp'; lossless: boolean; quality: number; loop: number }
  | { container: 'gif'; loop: number };

export interface EncodedVideo {
  width: number;
  height: number;
  frames: number;
}

/** Finds the bundled ffmpeg, or fails the node saying why (never a fake file). */
export function ffmpegBinary(): string {
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve(`${FFMPEG_PACKAGE}/ffmpeg`);
  } catch {
    throw new NodeFailure(
      `ffmpeg is required for video outputs and could not be found: the optional dependency ${FFMPEG_PACKAGE} is not installed (it exists for linux-x64 only; this machine is ${process.platform}-${process.arch}).`,
      'ProcessLookupError',
    );
  }
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new NodeFailure(
      `ffmpeg is required for video outputs, but ${file} is not executable (its package's postinstall "chmod u+x ffmpeg" did not run).`,
      'PermissionError',
    );
  }
  return file;
}

function clampCrf(value: number | undefined, fallback: number, max: number): string {
  const crf = value === undefined || !Number.isFinite(value) ? fallback : value;
  return String(Math.round(Math.min(max, Math.max(0, crf))));
}

function outputArgs(encoding: VideoEncoding): string[] {
  switch (encoding.container) {
    case 'mp4':
      return [
        ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'],
        ['-crf', clampCrf(encoding.crf, 19, 51), '-movflags', '+faststart', '-f', 'mp4'],
      ].flat();
    case 'webm':
      return encoding.codec === 'av1'
        ? [
            ['-c:v', 'libaom-av1', '-strict', 'experimental', '-cpu-used', '8', '-row-mt', '1'],
            ['-pix_fmt', 'yuv420p', '-crf', clampCrf(encoding.crf, 32, 63), '-b:v', '0'],
            ['-f', 'webm'],
          ].flat()
        : [
            ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8'],
            ['-pix_fmt', 'yuv420p', '-crf', clampCrf(encoding.crf, 32, 63), '-b:v', '0'],
            ['-f', 'webm'],
          ].flat();
    case 'webp':
      return [
        ['-c:v', 'libwebp_anim', '-lossless', encoding.lossless ? '1' : '0'],
        ['-quality', String(encoding.quality), '-loop', String(encoding.loop), '-f', 'webp'],
      ].flat();
    case 'gif':
      return ['-pix_fmt', 'rgb8', '-loop', String(encoding.loop), '-f', 'gif'];
  }
}

/** yuv420p needs even sides; GIF and WebP take any size. */
function frameSize(first: RgbImage, encoding: VideoEncoding): [number, number] {
  const [width, height] = cappedSize(first.width, first.height, MAX_VIDEO_SIDE);
  if (encoding.container !== 'mp4' && encoding.container !== 'webm') return [width, height];
  const even = (side: number): number => Math.max(2, side - (side % 2));
  return [even(width), even(height)];
}

/**
 * Encodes frames into a real file: raw RGB frames go to ffmpeg on stdin
 * (`-f rawvideo -pix_fmt rgb24 -s WxH -r FPS -i -`). Every frame is brought to the first one's
 * size, at most 128 px a side. An abort kills ffmpeg and rejects with the signal's reason.
 */
export async function encodeVideo(
  frames: readonly RgbImage[],
  fps: number,
  encoding: VideoEncoding,
  file: string,
  signal: AbortSignal,
): Promise<EncodedVideo> {
  const first = frames[0];
  if (!first) throw new NodeFailure('No frames to encode: the image batch is empty.', 'ValueError');
  const binary = ffmpegBinary();
  const [width, height] = frameSize(first, encoding);
  const raw = Buffer.concat(frames.map((frame) => resizeImage(frame, width, height).data));
  const args = [
    ['-hide_banner', '-loglevel', 'error', '-y'],
    ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps)],
    ['-i', '-', '-an'],
    outputArgs(encoding),
    [file],
  ].flat();
  signal.throwIfAborted();
  try {
    await runFfmpeg(binary, args, raw, signal);
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return { width, height, frames: frames.length };
}

function runFfmpeg(binary: string, args: string[], input: Buffer, signal: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    let settled = false;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = (): void => {
      child.kill('SIGKILL');
      settle(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      settle(
        new NodeFailure(
          `ffmpeg could not be started (${binary}): ${error.code ?? ''} ${error.message}`.trim(),
          'ProcessLookupError',
        ),
      ),
    );
    child.on('close', (code, killedBy) => {
      if (code === 0) settle();
      else {
        const reason = code === null ? `killed by ${String(killedBy)}` : `exit code ${code}`;
        settle(new NodeFailure(`ffmpeg failed (${reason}): ${stderr.trim()}`, 'RuntimeError'));
      }
    });
    // ffmpeg may exit before reading everything (a bad argument): that shows up in `close`.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeInput, runFfmpeg } from './runFfmpeg.js';

/** Frame sizes tried, as a share of the original's. */
const SCALES = [1, 0.75, 0.5, 0.35, 0.25];
/** Room left for the container and for the encoder missing its target. */
const BITRATE_MARGIN = 0.8;
const AUDIO_BITS_PER_SECOND = 64_000;
/** Below this no video is watchable. */
const MIN_VIDEO_BITS_PER_SECOND = 50_000;
/** Without a known duration, qualities are tried instead of bitrates. */
const FALLBACK_CRF = [28, 33, 38, 43];

export interface VideoFitOptions {
  ffmpeg: string;
  /** Aborts the encodes (a deadline). */
  signal: AbortSignal;
}

/**
 * An MP4 (H.264, AAC) copy of a video in at most `limit` bytes, or undefined: encoded at the
 * bitrate that fits its duration, then at smaller frame sizes. Works on a copy in a temporary
 * folder, removed afterwards.
 */
export async function fitVideo(
  input: Uint8Array,
  limit: number,
  options: VideoFitOptions,
): Promise<Buffer | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'comfyrelay-fit-'));
  try {
    const source = join(dir, 'input');
    const target = join(dir, 'fitted.mp4');
    await writeFile(source, input);
    const probe = await runFfmpeg(options.ffmpeg, ['-i', source], options.signal);
    const { durationS } = describeInput(probe.stderr);
    for (const [i, scale] of SCALES.entries()) {
      const rate = rateArgs(limit, durationS, i);
      if (rate === undefined) return undefined;
      const run = await runFfmpeg(
        options.ffmpeg,
        [
          ['-y', '-i', source, '-map', '0:v:0', '-map', '0:a:0?'],
          ['-vf', `scale=trunc(iw*${scale}/2)*2:trunc(ih*${scale}/2)*2`],
          ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', ...rate],
          ['-c:a', 'aac', '-b:a', String(AUDIO_BITS_PER_SECOND)],
          ['-movflags', '+faststart', '-f', 'mp4', target],
        ].flat(),
        options.signal,
      );
      if (run.code !== 0)
        throw new Error(`ffmpeg could not re-encode the video: ${lastLine(run.stderr)}`);
      const data = await readFile(target);
      if (data.length <= limit) return data;
    }
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Bitrate caps that fit `limit` over the duration, or a quality when it is unknown. */
function rateArgs(
  limit: number,
  durationS: number | undefined,
  attempt: number,
): string[] | undefined {
  if (durationS === undefined) {
    const crf = FALLBACK_CRF[Math.min(attempt, FALLBACK_CRF.length - 1)]!;
    return ['-crf', String(crf)];
  }
  const bits = (limit * 8 * BITRATE_MARGIN) / durationS - AUDIO_BITS_PER_SECOND;
  if (bits < MIN_VIDEO_BITS_PER_SECOND) return undefined;
  const video = String(Math.floor(bits));
  return ['-b:v', video, '-maxrate', video, '-bufsize', String(Math.floor(bits * 2))];
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

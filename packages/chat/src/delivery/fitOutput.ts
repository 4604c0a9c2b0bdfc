import { englishWording } from '../wording/englishWording.js';
import type { Wording } from '../wording/Wording.js';
import { findFfmpeg } from './ffmpegBinary.js';
import { fitImage } from './fitImage.js';
import { extensionOf, type FitResult, type UnfittableOutput } from './FitResult.js';
import { fitVideo } from './fitVideo.js';

export interface FitOptions {
  wording?: Wording;
  /** Longest a video re-encode may take in all (default 5 minutes). */
  timeoutMs?: number;
  /** An ffmpeg to use instead of the bundled one. */
  ffmpegPath?: string;
}

/**
 * An output within an upload limit: the original bytes when they fit; else images re-encoded
 * and downscaled with sharp, videos re-encoded with ffmpeg, step by step until they fit; else a
 * result saying, in words, how large it is and what the chat accepts. Never changes `data`.
 */
export async function fitOutput(
  file: { data: Uint8Array; mime: string },
  limit: number,
  options: FitOptions = {},
): Promise<FitResult> {
  const size = file.data.length;
  if (size <= limit)
    return {
      ok: true,
      data: file.data,
      mime: file.mime,
      extension: extensionOf(file.mime),
      changed: false,
    };
  const wording = options.wording ?? englishWording;
  const kind = file.mime.startsWith('video/') ? 'video' : 'picture';
  const refuse = (problem: UnfittableOutput['problem'], cause?: unknown): FitResult => ({
    ok: false,
    problem,
    size,
    limit,
    message: wording.tooLarge(kind, size, limit),
    ...(cause !== undefined ? { cause } : {}),
  });
  if (file.mime.startsWith('image/')) {
    const fitted = await fitImage(file.data, limit);
    return fitted
      ? { ok: true, ...fitted, extension: extensionOf(fitted.mime), changed: true }
      : refuse('too-large');
  }
  if (!file.mime.startsWith('video/')) return refuse('too-large');
  const ffmpeg = options.ffmpegPath ? { path: options.ffmpegPath } : findFfmpeg();
  if (!('path' in ffmpeg)) return refuse('no-encoder');
  let data: Buffer | undefined;
  try {
    data = await fitVideo(file.data, limit, {
      ffmpeg: ffmpeg.path,
      signal: AbortSignal.timeout(options.timeoutMs ?? 5 * 60_000),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return refuse(code === 'ENOENT' || code === 'EACCES' ? 'no-encoder' : 'unreadable', error);
  }
  return data
    ? { ok: true, data, mime: 'video/mp4', extension: 'mp4', changed: true }
    : refuse('too-large');
}

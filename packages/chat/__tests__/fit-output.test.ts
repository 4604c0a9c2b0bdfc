import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitOutput } from '../src/index.js';
import { noise, photo, sizeOf, solid } from './helpers/images.js';

describe('fitting an image to an upload limit', () => {
  it('sends the original bytes when they fit', async () => {
    const png = await solid(64, 64, '#336699');
    const fitted = await fitOutput({ data: png, mime: 'image/png' }, png.length);
    expect(fitted).toEqual({
      ok: true,
      data: png,
      mime: 'image/png',
      extension: 'png',
      changed: false,
    });
    if (fitted.ok) expect(fitted.data).toBe(png);
  });

  it('re-encodes a PNG too large as a high-quality JPEG, leaving the original untouched', async () => {
    const png = await photo(256, 256);
    const copy = Buffer.from(png);
    const fitted = await fitOutput({ data: png, mime: 'image/png' }, Math.floor(png.length * 0.9));
    expect(fitted).toMatchObject({ ok: true, mime: 'image/jpeg', extension: 'jpg', changed: true });
    if (!fitted.ok) return;
    expect(fitted.data.length).toBeLessThanOrEqual(Math.floor(png.length * 0.9));
    expect(await sizeOf(fitted.data)).toEqual({ width: 256, height: 256, format: 'jpeg' });
    expect(png.equals(copy)).toBe(true);
  });

  it('keeps transparency as WebP', async () => {
    const png = await noise(128, 128, true);
    const fitted = await fitOutput({ data: png, mime: 'image/png' }, png.length - 1);
    expect(fitted).toMatchObject({ ok: true, mime: 'image/webp', extension: 'webp' });
  });

  it('downscales step by step when a re-encode alone is not enough', async () => {
    const png = await noise(512, 512);
    const limit = 20_000;
    const fitted = await fitOutput({ data: png, mime: 'image/png' }, limit);
    expect(fitted.ok).toBe(true);
    if (!fitted.ok) return;
    expect(fitted.data.length).toBeLessThanOrEqual(limit);
    const size = await sizeOf(fitted.data);
    expect(size.width).toBeLessThan(512);
    expect(size.width).toBe(size.height);
  });

  it('says in words how large it is and what the chat takes when nothing fits', async () => {
    const png = await noise(300, 300);
    const fitted = await fitOutput({ data: png, mime: 'image/png' }, 100);
    expect(fitted).toEqual({
      ok: false,
      problem: 'too-large',
      size: png.length,
      limit: 100,
      message: `The picture is ${Math.round(png.length / 1024)} KB, more than the 100 bytes this chat accepts, and could not be made small enough.`,
    });
  });
});

const ffmpeg = (() => {
  try {
    return createRequire(import.meta.url).resolve('@ffmpeg-installer/linux-x64/ffmpeg');
  } catch {
    return undefined;
  }
})();

describe.skipIf(!ffmpeg)('fitting a video to an upload limit', () => {
  let dir: string;
  let video: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-fit-test-'));
    const file = join(dir, 'noise.mp4');
    // Two seconds of random noise at high quality: large, and hard to compress.
    const made = spawnSync(ffmpeg!, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'nullsrc=s=320x240:r=24:d=2,geq=random(1)*255:128:128',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '10',
      '-pix_fmt',
      'yuv420p',
      '-y',
      file,
    ]);
    expect(made.status, made.stderr.toString()).toBe(0);
    video = readFileSync(file);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-encodes at a lower bitrate until it fits, leaving the original untouched', async () => {
    const copy = Buffer.from(video);
    const limit = Math.floor(video.length / 4);
    const fitted = await fitOutput({ data: video, mime: 'video/mp4' }, limit);
    expect(fitted).toMatchObject({ ok: true, mime: 'video/mp4', extension: 'mp4', changed: true });
    if (fitted.ok) {
      expect(fitted.data.length).toBeLessThanOrEqual(limit);
      expect(Buffer.from(fitted.data.subarray(4, 8)).toString()).toBe('ftyp');
    }
    expect(video.equals(copy)).toBe(true);
  });

  it('says so in words when no bitrate is low enough', async () => {
    const fitted = await fitOutput({ data: video, mime: 'video/mp4' }, 5_000);
    expect(fitted).toMatchObject({ ok: false, problem: 'too-large', limit: 5_000 });
    if (!fitted.ok)
      expect(fitted.message).toMatch(/^The video is .+, more than the 5 KB this chat accepts/);
  });

  it('says so when the encoder is missing', async () => {
    const fitted = await fitOutput({ data: video, mime: 'video/mp4' }, 1000, {
      ffmpegPath: join(dir, 'no-ffmpeg'),
    });
    expect(fitted).toMatchObject({ ok: false, problem: 'no-encoder' });
  });
});

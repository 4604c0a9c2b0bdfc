import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ComfySimulator } from '../../src/index.js';
import { ffmpegBinary } from '../../src/video/ffmpeg.js';

export interface FileRef {
  filename: string;
  subfolder: string;
  type: string;
}

export async function viewFile(sim: ComfySimulator, file: FileRef) {
  const query = new URLSearchParams({
    filename: file.filename,
    subfolder: file.subfolder,
    type: file.type,
  });
  const response = await fetch(`${sim.url}/view?${query}`);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

export interface DecodedVideo {
  codec: string;
  width: number;
  height: number;
  /** Every frame as packed RGB. */
  frames: Buffer[];
}

/** Decodes a video file with the bundled ffmpeg: proof that a player can open it. */
export function decodeVideo(bytes: Buffer, extension: string): DecodedVideo {
  const dir = mkdtempSync(path.join(tmpdir(), 'sim-probe-'));
  try {
    const file = path.join(dir, `clip.${extension}`);
    writeFileSync(file, bytes);
    const info = spawnSync(ffmpegBinary(), ['-hide_banner', '-i', file], { encoding: 'utf8' });
    const stream = /Stream #0:0.*?: Video: (\w+).*?, (\d+)x(\d+)/.exec(info.stderr);
    if (!stream) throw new Error(`no video stream: ${info.stderr}`);
    const [, codec = '', w = '0', h = '0'] = stream;
    const decoded = spawnSync(
      ffmpegBinary(),
      ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    if (decoded.status !== 0) throw new Error(`decode failed: ${decoded.stderr.toString()}`);
    const width = Number(w);
    const height = Number(h);
    const frameBytes = width * height * 3;
    const frames: Buffer[] = [];
    for (let at = 0; at + frameBytes <= decoded.stdout.length; at += frameBytes)
      frames.push(decoded.stdout.subarray(at, at + frameBytes));
    return { codec, width, height, frames };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function averageRgb(frame: Buffer): [number, number, number] {
  const sums = [0, 0, 0];
  for (let i = 0; i < frame.length; i++) sums[i % 3]! += frame[i]!;
  const pixels = frame.length / 3;
  return [sums[0]! / pixels, sums[1]! / pixels, sums[2]! / pixels];
}

/** Counts RIFF chunks of one type at the top level of a WebP file's payload. */
export function webpChunks(bytes: Buffer): string[] {
  const chunks: string[] = [];
  for (let at = 12; at + 8 <= bytes.length;) {
    const type = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    chunks.push(type);
    at += 8 + size + (size % 2);
  }
  return chunks;
}

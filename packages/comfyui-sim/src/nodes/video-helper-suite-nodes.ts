import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodePng } from '../image/png-encode.js';
import type { RgbImage } from '../image/rgb-image.js';
import { resolveSavePath } from '../storage/save-path.js';
import { encodeVideo, type VideoEncoding } from '../video/ffmpeg.js';
import { NodeFailure, type NodeDefinition } from './types.js';
import { expectValue } from './values.js';
import { booleanInput, numberInput, stringInput } from './input-values.js';
import { MAX_VIDEO_FRAMES } from './latent-render.js';
import { pngText } from './save-images.js';

/**
 * Kosinkadink/ComfyUI-VideoHelperSuite's "Video Combine" (VHS_VideoCombine), the most used video
 * saver. Only the formats the bundled ffmpeg encodes quickly are offered.
 */
const PYTHON_MODULE = 'custom_nodes.ComfyUI-VideoHelperSuite';

const CRF = (value: number) => ['crf', 'INT', { default: value, min: 0, max: 100, step: 1 }];
const SAVE_METADATA = ['save_metadata', 'BOOLEAN', { default: true }];
const TRIM_TO_AUDIO = ['trim_to_audio', 'BOOLEAN', { default: false }];
// prettier-ignore
const DITHERS = ['bayer', 'heckbert', 'floyd_steinberg', 'sierra2', 'sierra2_4a', 'sierra3', 'burkes', 'atkinson', 'none'];

/** The widgets each format adds in the UI; in an API prompt they arrive as extra inputs (crf, pix_fmt…). */
const FORMAT_WIDGETS: Record<string, unknown[]> = {
  'image/webp': [['lossless', 'BOOLEAN', { default: true }]],
  'video/av1-webm': [
    ['pix_fmt', ['yuv420p10le', 'yuv420p']],
    CRF(23),
    ['input_color_depth', ['8bit', '16bit']],
    SAVE_METADATA,
  ],
  'video/ffmpeg-gif': [['dither', DITHERS, { default: 'sierra2_4a' }]],
  'video/h264-mp4': [
    ['pix_fmt', ['yuv420p', 'yuv420p10le']],
    CRF(19),
    SAVE_METADATA,
    TRIM_TO_AUDIO,
  ],
  'video/webm': [['pix_fmt', ['yuv420p', 'yuva420p']], CRF(20), SAVE_METADATA, TRIM_TO_AUDIO],
};

const FORMATS = [
  'image/gif',
  'image/webp',
  'video/av1-webm',
  'video/ffmpeg-gif',
  'video/h264-mp4',
  'video/webm',
];

/** Pillow's `loop` for image formats; the video formats repeat the frames instead (ffmpeg's loop filter). */
function encodingFor(
  format: string,
  inputs: Record<string, unknown>,
  loopCount: number,
): { encoding: VideoEncoding; extension: string } {
  switch (format) {
    case 'image/gif':
    case 'video/ffmpeg-gif':
      return { encoding: { container: 'gif', loop: loopCount }, extension: 'gif' };
    case 'image/webp':
      return {
        encoding: {
          container: 'webp',
          lossless: booleanInput(inputs, 'lossless', true),
          quality: 80,
          loop: loopCount,
        },
        extension: 'webp',
      };
    case 'video/h264-mp4':
      return {
        encoding: { container: 'mp4', crf: numberInput(inputs, 'crf', 19) },
        extension: 'mp4',
      };
    case 'video/webm':
      return {
        encoding: { container: 'webm', codec: 'vp9', crf: numberInput(inputs, 'crf', 20) },
        extension: 'webm',
      };
    case 'video/av1-webm':
      return {
        encoding: { container: 'webm', codec: 'av1', crf: numberInput(inputs, 'crf', 23) },
        extension: 'webm',
      };
    default:
      throw new NodeFailure(`Unknown video format ${format}`, 'ValueError');
  }
}

/** to_pingpong: forwards, then backwards without repeating either end. */
function pingpong(frames: readonly RgbImage[]): RgbImage[] {
  return [...frames, ...frames.slice(1, -1).reverse()];
}

/** VHS's own counter: the highest `{filename}_(\d+)\D*\..+` in the folder, plus one. */
async function nextCounter(folder: string, filename: string): Promise<number> {
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const matcher = new RegExp(`^${escaped}_(\\d+)\\D*\\..+$`, 'i');
  let highest = 0;
  for (const entry of await readdir(folder)) {
    const match = matcher.exec(entry);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

const videoCombine: NodeDefinition = {
  classType: 'VHS_VideoCombine',
  displayName: 'Video Combine 🎥🅥🅗🅢',
  description: '',
  category: 'Video Helper Suite 🎥🅥🅗🅢',
  pythonModule: PYTHON_MODULE,
  outputNode: true,
  outputs: [{ type: 'VHS_FILENAMES', name: 'Filenames' }],
  inputTypes: () => ({
    required: {
      images: ['IMAGE'],
      frame_rate: ['FLOAT', { default: 8, min: 1, step: 1 }],
      loop_count: ['INT', { default: 0, min: 0, max: 100, step: 1 }],
      filename_prefix: ['STRING', { default: 'AnimateDiff' }],
      format: [FORMATS, { formats: FORMAT_WIDGETS }],
      pingpong: ['BOOLEAN', { default: false }],
      save_output: ['BOOLEAN', { default: true }],
    },
    optional: {
      audio: ['AUDIO'],
      meta_batch: ['VHS_BatchManager'],
      vae: ['VAE'],
    },
    hidden: { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO', unique_id: 'UNIQUE_ID' },
  }),
  async execute(inputs, ctx) {
    const images = expectValue(inputs['images'], 'IMAGE', 'images');
    const saveOutput = booleanInput(inputs, 'save_output', true);
    if (images.images.length === 0) return { outputs: [[saveOutput, []]] };
    const format = stringInput(inputs, 'format', 'image/gif');
    const frameRate = numberInput(inputs, 'frame_rate', 8);
    const loopCount = numberInput(inputs, 'loop_count', 0);
    const { encoding, extension } = encodingFor(format, inputs, loopCount);
    let frames: RgbImage[] = [...images.images];
    if (booleanInput(inputs, 'pingpong', false)) frames = pingpong(frames);
    if (format.startsWith('video/') && loopCount > 0) {
      const once = frames;
      for (let i = 0; i < loopCount && frames.length < 4 * MAX_VIDEO_FRAMES; i++)
        frames = frames.concat(once);
    }

    const type = saveOutput ? 'output' : 'temp';
    const first = images.images[0] as RgbImage;
    const target = await resolveSavePath(
      ctx.dirs[type],
      stringInput(inputs, 'filename_prefix', 'AnimateDiff'),
      first.width,
      first.height,
    );
    const counter = String(await nextCounter(target.folder, target.filename)).padStart(5, '0');
    // The first frame as a PNG that keeps the workflow metadata.
    const workflowFile = `${target.filename}_${counter}.png`;
    const workflowPath = path.join(target.folder, workflowFile);
    await writeFile(workflowPath, encodePng(first, pngText(ctx), 4));
    // ProgressBar(num_frames): one update per frame handed to the encoder.
    for (let frame = 1; frame <= frames.length; frame++) ctx.progress(frame, frames.length);
    const file = `${target.filename}_${counter}.${extension}`;
    const fullpath = path.join(target.folder, file);
    await encodeVideo(frames, frameRate, encoding, fullpath, ctx.signal);
    const preview = {
      filename: file,
      subfolder: target.subfolder,
      type,
      format,
      frame_rate: frameRate,
      workflow: workflowFile,
      fullpath,
    };
    return { outputs: [[saveOutput, [workflowPath, fullpath]]], ui: { gifs: [preview] } };
  },
};

export const videoHelperSuiteNodes: readonly NodeDefinition[] = [videoCombine];

import path from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../src/image/png-encode.js';
import { solidImage } from '../src/image/rgb-image.js';
import type { ComfySimulator } from '../src/index.js';
import { getJson, queuePrompt } from './helpers/http.js';
import { averageRgb, decodeVideo, viewFile, webpChunks, type FileRef } from './helpers/media.js';
import {
  videoCombine,
  wan22ImageToVideo,
  wanTextToVideoFrames,
} from './helpers/model-workflows.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';

const startSimulator = useSimulators();

async function upload(sim: ComfySimulator, bytes: Buffer, name: string): Promise<void> {
  const form = new FormData();
  form.append('image', new Blob([bytes], { type: 'image/png' }), name);
  const response = await fetch(`${sim.url}/upload/image`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
}

async function run(sim: ComfySimulator, prompt: unknown) {
  const socket = await TestSocket.open(sim, { clientId: 'c' });
  const { prompt_id } = await queuePrompt(sim, { prompt, client_id: 'c' });
  await socket.waitForPromptEnd(prompt_id);
  const error = socket.json('execution_error')[0]?.data;
  if (error) throw new Error(`execution_error: ${error.exception_message}`);
  const progress = socket.json('progress').map((f) => f.data);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const outputs: Record<string, any> = {};
  for (const frame of socket.json('executed')) outputs[frame.data.node] = frame.data.output;
  await socket.close();
  return { promptId: prompt_id, progress, outputs };
}

function progressOf(progress: { node: string; value: number; max: number }[], node: string) {
  return progress.filter((p) => p.node === node).map((p) => `${p.value}/${p.max}`);
}

describe('Wan 2.2 image-to-video', () => {
  it('runs two KSamplerAdvanced experts with their own step windows and saves an MP4', async () => {
    const sim = await startSimulator();
    await upload(sim, encodePng(solidImage(64, 40, [220, 40, 40])), 'start.png');
    const { progress, outputs, promptId } = await run(sim, wan22ImageToVideo('start.png', 9));
    expect(progressOf(progress, '11')).toEqual(['1/2', '2/2']);
    expect(progressOf(progress, '12')).toEqual(['1/2', '2/2']);

    expect(outputs['15']).toEqual({
      images: [{ filename: 'wan22_00001_.mp4', subfolder: 'video', type: 'output' }],
      animated: [true],
    });
    const history = (await getJson(sim, `/history/${promptId}`)).body[promptId];
    expect(history.outputs['15']).toEqual(outputs['15']);

    const file = await viewFile(sim, outputs['15'].images[0] as FileRef);
    expect(file.status).toBe(200);
    expect(file.contentType).toBe('video/mp4');
    expect(file.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const video = decodeVideo(file.bytes, 'mp4');
    expect(video).toMatchObject({ codec: 'h264', width: 128, height: 74 });
    expect(video.frames).toHaveLength(9);
    // The first frame is the start image; later frames move away from it.
    const [r, g, b] = averageRgb(video.frames[0]!);
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    expect(video.frames[8]!.equals(video.frames[0]!)).toBe(false);
    expect(video.frames[4]!.equals(video.frames[8]!)).toBe(false);
  });

  it('takes a CLIP vision output as Wan 2.1 i2v does', async () => {
    const sim = await startSimulator();
    await upload(sim, encodePng(solidImage(48, 48, [30, 200, 60])), 'green.png');
    const prompt = {
      ...wan22ImageToVideo('green.png', 5),
      '16': { class_type: 'CLIPVisionLoader', inputs: { clip_name: 'clip_vision_h.safetensors' } },
      '17': {
        class_type: 'CLIPVisionEncode',
        inputs: { clip_vision: ['16', 0], image: ['7', 0], crop: 'none' },
      },
    };
    (prompt['8'].inputs as Record<string, unknown>)['clip_vision_output'] = ['17', 0];
    const { outputs } = await run(sim, prompt);
    const video = decodeVideo((await viewFile(sim, outputs['15'].images[0])).bytes, 'mp4');
    expect(video.frames).toHaveLength(5);
    expect(averageRgb(video.frames[0]!)[1]).toBeGreaterThan(150);
  });

  it('decodes (length - 1) / 4 + 1 latent frames back to length frames', async () => {
    const sim = await startSimulator();
    const prompt = {
      ...wanTextToVideoFrames(17),
      '20': { class_type: 'SaveImage', inputs: { images: ['13', 0], filename_prefix: 'frame' } },
    };
    const { outputs } = await run(sim, prompt);
    expect(outputs['20'].images).toHaveLength(17);
  });
});

describe('Wan text-to-video savers', () => {
  it('VHS_VideoCombine (mp4 and gif), SaveAnimatedWEBP and SaveWEBM write real files', async () => {
    const sim = await startSimulator();
    const prompt = {
      ...wanTextToVideoFrames(9),
      '20': videoCombine('video/h264-mp4', 'wan_t2v', { pix_fmt: 'yuv420p', crf: 19 }),
      '21': videoCombine('image/gif', 'wan_gif'),
      '22': {
        class_type: 'SaveAnimatedWEBP',
        inputs: {
          images: ['13', 0],
          filename_prefix: 'wan_webp',
          fps: 16,
          lossless: false,
          quality: 80,
          method: 'default',
        },
      },
      '23': {
        class_type: 'SaveWEBM',
        inputs: { images: ['13', 0], filename_prefix: 'wan_webm', codec: 'vp9', fps: 16, crf: 32 },
      },
    };
    const { outputs, progress } = await run(sim, prompt);
    expect(progressOf(progress, '11')).toEqual(['1/3', '2/3', '3/3']);
    expect(progressOf(progress, '20')).toEqual(Array.from({ length: 9 }, (_, i) => `${i + 1}/9`));

    const mp4 = outputs['20'].gifs[0];
    expect(mp4).toEqual({
      filename: 'wan_t2v_00001.mp4',
      subfolder: '',
      type: 'output',
      format: 'video/h264-mp4',
      frame_rate: 16,
      workflow: 'wan_t2v_00001.png',
      fullpath: path.join(sim.dirs.output, 'wan_t2v_00001.mp4'),
    });
    expect(existsSync(path.join(sim.dirs.output, 'wan_t2v_00001.png'))).toBe(true);
    const mp4File = await viewFile(sim, mp4);
    expect(mp4File.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const decoded = decodeVideo(mp4File.bytes, 'mp4');
    expect(decoded.frames).toHaveLength(9);
    expect(decoded.frames[0]!.equals(decoded.frames[5]!)).toBe(false);

    const gif = outputs['21'].gifs[0];
    expect(gif).toMatchObject({ filename: 'wan_gif_00001.gif', format: 'image/gif' });
    const gifFile = await viewFile(sim, gif);
    expect(gifFile.contentType).toBe('image/gif');
    expect(gifFile.bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(decodeVideo(gifFile.bytes, 'gif').frames).toHaveLength(9);

    expect(outputs['22']).toEqual({
      images: [{ filename: 'wan_webp_00001_.webp', subfolder: '', type: 'output' }],
      animated: [true],
    });
    const webp = (await viewFile(sim, outputs['22'].images[0])).bytes;
    expect(webp.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(webp.subarray(8, 12).toString('latin1')).toBe('WEBP');
    const chunks = webpChunks(webp);
    expect(chunks).toContain('ANIM');
    expect(chunks.filter((c) => c === 'ANMF')).toHaveLength(9);

    expect(outputs['23']).toEqual({
      images: [{ filename: 'wan_webm_00001_.webm', subfolder: '', type: 'output' }],
      animated: [true],
    });
    const webm = await viewFile(sim, outputs['23'].images[0]);
    expect(webm.contentType).toBe('video/webm');
    expect(webm.bytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
    expect(decodeVideo(webm.bytes, 'webm')).toMatchObject({ codec: 'vp9', width: 128, height: 74 });
  });

  it('VHS counts its own files, pingpongs, and saves to temp when save_output is false', async () => {
    const sim = await startSimulator();
    const prompt = {
      ...wanTextToVideoFrames(5),
      '20': videoCombine('video/webm', 'clip', { pingpong: true }),
      '21': videoCombine('image/webp', 'clip', { save_output: false, lossless: true }),
    };
    const { outputs } = await run(sim, prompt);
    expect(outputs['20'].gifs[0]).toMatchObject({ filename: 'clip_00001.webm', type: 'output' });
    expect(outputs['21'].gifs[0]).toMatchObject({ filename: 'clip_00001.webp', type: 'temp' });
    const webm = decodeVideo((await viewFile(sim, outputs['20'].gifs[0])).bytes, 'webm');
    expect(webm.frames).toHaveLength(8); // 5 frames, then 3 back
    const again = await run(sim, {
      ...prompt,
      '8': { ...prompt['8'], inputs: { ...prompt['8'].inputs, length: 9 } },
    });
    expect(again.outputs['20'].gifs[0].filename).toBe('clip_00002.webm');
  });
});

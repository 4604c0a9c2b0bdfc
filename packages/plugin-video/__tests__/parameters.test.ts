import { describe, expect, it } from 'vitest';
import {
  ParameterError,
  buildGraph,
  validateParameters,
  type ApiWorkflow,
  type WorkflowDefinition,
} from '@comfyrelay/core';
import {
  createVideoPlugin,
  imageToVideo,
  textToVideo,
  videoDefinitions,
  wanFrameCount,
  wanSplitStep,
} from '../src/index.js';

/** What core does in `relay.generate` up to the POST: validate, render, build the tracker. */
async function rendered(
  definition: WorkflowDefinition,
  input: Record<string, unknown>,
): Promise<ApiWorkflow> {
  const values = await validateParameters(definition, input);
  return buildGraph(
    definition,
    definition.prepare?.(values, new Set(Object.keys(input))) ?? values,
  );
}

describe('Wan frame counts and the sampler hand-over', () => {
  it('rounds frame counts to the nearest 4k+1', () => {
    expect([5, 33, 81, 121].map(wanFrameCount)).toEqual([5, 33, 81, 121]);
    expect([6, 7, 8, 79, 80, 82, 83].map(wanFrameCount)).toEqual([5, 9, 9, 81, 81, 81, 85]);
  });

  it('hands over at half the steps', () => {
    expect([2, 4, 5, 20, 21].map(wanSplitStep)).toEqual([1, 2, 2, 10, 10]);
  });
});

describe('text-to-video parameters', () => {
  it("bind to the node inputs they name, with Wan's derived inputs set", async () => {
    const graph = await rendered(textToVideo, {
      prompt: 'a red fox running through snow',
      negative: 'blurry',
      width: 640,
      height: 368,
      frames: 49,
      fps: 24,
      steps: 8,
      cfg: 4,
      seed: 1234,
    });
    expect(graph['6']?.inputs['text']).toBe('a red fox running through snow');
    expect(graph['7']?.inputs['text']).toBe('blurry');
    expect(graph['59']?.inputs).toMatchObject({
      width: 640,
      height: 368,
      length: 49,
      batch_size: 1,
    });
    expect(graph['60']?.inputs['fps']).toBe(24);
    expect(graph['57']?.inputs).toMatchObject({
      noise_seed: 1234,
      steps: 8,
      cfg: 4,
      start_at_step: 0,
      end_at_step: 4,
    });
    expect(graph['58']?.inputs).toMatchObject({
      steps: 8,
      cfg: 4,
      start_at_step: 4,
      end_at_step: 10000,
    });
  });

  it("fills Wan's defaults: 81 frames at 16 fps, 832×480, 20 steps split 10/10", async () => {
    const graph = await rendered(textToVideo, { prompt: 'waves' });
    expect(graph['59']?.inputs).toMatchObject({ width: 832, height: 480, length: 81 });
    expect(graph['60']?.inputs['fps']).toBe(16);
    expect(graph['57']?.inputs).toMatchObject({ steps: 20, end_at_step: 10 });
    expect(graph['58']?.inputs).toMatchObject({ steps: 20, start_at_step: 10 });
    expect(graph['7']?.inputs['text']).toMatch(/^色调艳丽/);
  });

  it('rounds a frame count that is not 4k+1 and sides to multiples of 16', async () => {
    const graph = await rendered(textToVideo, {
      prompt: 'waves',
      frames: 80,
      width: 838,
      height: 470,
    });
    expect(graph['59']?.inputs).toMatchObject({ length: 81, width: 832, height: 464 });
  });

  it('binds fps to the node each format feeds', async () => {
    const fpsInputs = Object.fromEntries(
      await Promise.all(
        videoDefinitions({ formats: ['webm', 'webp', 'vhs-gif'] })
          .filter((d) => d.id.startsWith('video.text-to-video'))
          .map(async (d) => {
            const graph = await rendered(d, { prompt: 'x', fps: 12 });
            return [d.id, [graph['61']?.inputs['fps'], graph['61']?.inputs['frame_rate']]] as const;
          }),
      ),
    );
    expect(fpsInputs).toEqual({
      'video.text-to-video.webm': [12, undefined],
      'video.text-to-video.webp': [12, undefined],
      'video.text-to-video.vhs-gif': [undefined, 12],
    });
  });
});

describe('image-to-video parameters', () => {
  it('bind the image to LoadImage and the size and length to WanImageToVideo', async () => {
    const graph = await rendered(imageToVideo, {
      image: 'comfyrelay/cat.png',
      frames: 34,
      fps: 8,
      steps: 6,
      seed: 7,
    });
    expect(graph['52']?.inputs['image']).toBe('comfyrelay/cat.png');
    expect(graph['50']?.inputs).toMatchObject({
      width: 640,
      height: 640,
      length: 33,
      start_image: ['52', 0],
    });
    expect(graph['57']?.inputs).toMatchObject({ noise_seed: 7, steps: 6, end_at_step: 3 });
    expect(graph['58']?.inputs).toMatchObject({ steps: 6, start_at_step: 3 });
  });

  it('takes what plugin-image\'s "animate" action hands over: an image and its prompt', async () => {
    const values = await validateParameters(imageToVideo, {
      image: { data: new Uint8Array([1]), filename: 'a.png' },
      prompt: 'a lighthouse',
    });
    expect(values).toMatchObject({ prompt: 'a lighthouse', frames: 81, fps: 16 });
    await expect(validateParameters(imageToVideo, { prompt: 'x' })).rejects.toThrow(
      'image is required',
    );
  });
});

describe('refusals', () => {
  it('refuses out-of-range frames, fps, steps and sizes in words, all at once', async () => {
    const error = await validateParameters(textToVideo, {
      prompt: 'x',
      frames: 500,
      fps: 0,
      steps: 1000,
      width: 4096,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterError);
    const message = (error as ParameterError).message;
    expect(message).toContain('frames must be at most 121 (got 500)');
    expect(message).toContain('fps must be at least 1 (got 0)');
    expect(message).toContain('steps must be at most 60 (got 1000)');
    expect(message).toContain('width must be at most 1280 (got 4096)');
  });

  it('refuses a text-to-video without a prompt, and fractional frame counts', async () => {
    await expect(validateParameters(textToVideo, {})).rejects.toThrow('prompt is required');
    await expect(validateParameters(textToVideo, { prompt: 'x', frames: 80.5 })).rejects.toThrow(
      'frames must be a whole number',
    );
  });

  it('leaves the definitions untouched while rendering', async () => {
    const [definition] = videoDefinitions();
    const before = JSON.stringify(definition?.template);
    await rendered(definition!, { prompt: 'x', steps: 4, frames: 6 });
    expect(JSON.stringify(definition?.template)).toBe(before);
    expect(createVideoPlugin().name).toBe('@comfyrelay/plugin-video');
  });
});

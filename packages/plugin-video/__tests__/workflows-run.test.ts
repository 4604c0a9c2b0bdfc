import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiWorkflow, GenerationRecord } from '@comfyrelay/core';
import {
  createVideoPlugin,
  videoFormats,
  videoWorkflowId,
  type VideoFormat,
} from '../src/index.js';
import { sniff } from './helpers/magic.js';
import { gradientPng } from '@comfyrelay/testkit';
import { startFixture, type Fixture } from './helpers/relayFixture.js';

/** Small enough for the simulator to encode in a moment. */
const small = { frames: 9, width: 160, height: 128, steps: 4, fps: 8 };

const expected: Record<
  VideoFormat,
  { kind: string; mime: string; magic: ReturnType<typeof sniff> }
> = {
  mp4: { kind: 'video', mime: 'video/mp4', magic: 'mp4' },
  webm: { kind: 'video', mime: 'video/webm', magic: 'webm' },
  webp: { kind: 'animated-image', mime: 'image/webp', magic: 'webp' },
  'vhs-mp4': { kind: 'video', mime: 'video/mp4', magic: 'mp4' },
  'vhs-webp': { kind: 'animated-image', mime: 'image/webp', magic: 'webp' },
  'vhs-gif': { kind: 'animated-image', mime: 'image/gif', magic: 'gif' },
};

let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture([createVideoPlugin({ formats: videoFormats })]);
});
afterAll(async () => {
  await fixture?.close();
});

/** The graph the simulator ran, from its history. */
async function ranGraph(record: GenerationRecord): Promise<ApiWorkflow> {
  const history = (await (
    await fetch(`${fixture.sim.url}/history/${record.promptId}`)
  ).json()) as Record<string, { prompt: [number, string, ApiWorkflow, ...unknown[]] }>;
  const entry = history[record.promptId];
  if (!entry) throw new Error(`no history for ${record.promptId}`);
  return entry.prompt[2];
}

async function succeeded(
  run: Promise<{ done: Promise<GenerationRecord> }>,
): Promise<GenerationRecord> {
  const record = await (await run).done;
  expect(record.status, record.error?.message).toBe('succeeded');
  return record;
}

describe.each(videoFormats)('format %s', (format) => {
  it('text-to-video validates on the simulator and writes a real file of the declared type', async () => {
    const id = videoWorkflowId('video.text-to-video', format);
    const record = await succeeded(
      fixture.generate(id, { ...small, prompt: 'a paper boat drifting down a stream' }),
    );
    expect(record.outputs).toHaveLength(1);
    const output = record.outputs![0]!;
    expect(output).toMatchObject({
      nodeId: '61',
      kind: expected[format].kind,
      mime: expected[format].mime,
    });
    const data = await fixture.relay.readOutput(output);
    expect(sniff(data)).toBe(expected[format].magic);
    expect(data.length).toBeGreaterThan(100);
  });

  it('image-to-video uploads the picture, starts from it and writes a real file of the declared type', async () => {
    const id = videoWorkflowId('video.image-to-video', format);
    const png = gradientPng();
    const record = await succeeded(
      fixture.generate(id, {
        ...small,
        image: { data: png, filename: `start-${format}.png` },
        prompt: 'the colours swirl',
      }),
    );
    const uploaded = record.parameters?.['image'];
    expect(uploaded).toMatch(/^comfyrelay\/start-.*\.png$/);
    expect((await ranGraph(record))['52']?.inputs['image']).toBe(uploaded);
    expect(await readFile(path.join(fixture.sim.dirs.input, String(uploaded)))).toEqual(png);
    const output = record.outputs![0]!;
    expect(output).toMatchObject({
      nodeId: '61',
      kind: expected[format].kind,
      mime: expected[format].mime,
    });
    expect(sniff(await fixture.relay.readOutput(output))).toBe(expected[format].magic);
  });
});

describe('what the simulator runs', () => {
  it('has every parameter on its node input, the hand-over step and a 4k+1 length', async () => {
    const record = await succeeded(
      fixture.generate('video.text-to-video', {
        prompt: 'lanterns rising over a lake',
        negative: 'static',
        width: 160,
        height: 144,
        frames: 11,
        fps: 12,
        steps: 6,
        cfg: 5,
        seed: 424242,
      }),
    );
    const graph = await ranGraph(record);
    expect(graph['6']?.inputs['text']).toBe('lanterns rising over a lake');
    expect(graph['7']?.inputs['text']).toBe('static');
    expect(graph['59']?.inputs).toMatchObject({ width: 160, height: 144, length: 13 });
    expect(graph['60']?.inputs['fps']).toBe(12);
    expect(graph['57']?.inputs).toMatchObject({
      noise_seed: 424242,
      steps: 6,
      cfg: 5,
      start_at_step: 0,
      end_at_step: 3,
    });
    expect(graph['58']?.inputs).toMatchObject({
      steps: 6,
      cfg: 5,
      start_at_step: 3,
      end_at_step: 10000,
    });
    expect(record.parameters).toMatchObject({ frames: 13, seed: 424242 });
  });

  it('rerolls a text-to-video with the same settings and a new seed', async () => {
    const first = await succeeded(
      fixture.generate('video.text-to-video', { ...small, prompt: 'snow falling', seed: 5 }),
    );
    const again = await succeeded(fixture.runAction(first, 'reroll'));
    expect(again.parameters).toMatchObject({ ...small, prompt: 'snow falling' });
    expect(again.parameters?.['seed']).not.toBe(5);
  });

  it('refuses out-of-range frames, fps and steps before anything is posted', async () => {
    const posts = () => fixture.http.filter((request) => request.method === 'POST').length;
    const before = posts();
    await expect(
      fixture.generate('video.text-to-video', { prompt: 'x', frames: 400 }),
    ).rejects.toThrow('frames must be at most 121 (got 400)');
    await expect(
      fixture.generate('video.text-to-video', { prompt: 'x', fps: 240 }),
    ).rejects.toThrow('fps must be at most 60 (got 240)');
    await expect(
      fixture.generate('video.image-to-video', {
        image: { data: gradientPng(), filename: 'never.png' },
        steps: 1,
        frames: 2,
      }),
    ).rejects.toThrow(/frames must be at least 5 \(got 2\).*steps must be at least 2 \(got 1\)/);
    await expect(
      fixture.generate('video.text-to-video', { prompt: 'x', frames: 'many' }),
    ).rejects.toThrow('frames must be a number, not "many"');
    expect(posts()).toBe(before);
  });
});

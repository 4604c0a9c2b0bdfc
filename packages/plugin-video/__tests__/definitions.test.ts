import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PluginHost, type WorkflowDefinition } from '@comfyrelay/core';
import {
  createVideoPlugin,
  imageToVideo,
  textToVideo,
  videoDefinitions,
  videoFormats,
  videoPlugin,
} from '../src/index.js';

async function registered(plugin = videoPlugin): Promise<WorkflowDefinition[]> {
  const host = new PluginHost();
  await host.use(plugin);
  return host.workflows();
}

describe('the video plugin', () => {
  it('registers text-to-video and image-to-video as MP4 by default', async () => {
    expect(videoPlugin.name).toBe('@comfyrelay/plugin-video');
    expect((await registered()).map((d) => d.id)).toEqual([
      'video.text-to-video',
      'video.image-to-video',
    ]);
    expect(textToVideo.id).toBe('video.text-to-video');
    expect(imageToVideo.id).toBe('video.image-to-video');
  });

  it('offers every format as a workflow of its own when asked', async () => {
    const ids = (await registered(createVideoPlugin({ formats: videoFormats }))).map((d) => d.id);
    expect(ids).toEqual([
      'video.text-to-video',
      'video.image-to-video',
      'video.text-to-video.webm',
      'video.image-to-video.webm',
      'video.text-to-video.webp',
      'video.image-to-video.webp',
      'video.text-to-video.vhs-mp4',
      'video.image-to-video.vhs-mp4',
      'video.text-to-video.vhs-webp',
      'video.image-to-video.vhs-webp',
      'video.text-to-video.vhs-gif',
      'video.image-to-video.vhs-gif',
    ]);
  });

  it('refuses an unknown format when the plugin is made', () => {
    expect(() => createVideoPlugin({ formats: ['mkv' as never] })).toThrow(/unknown format mkv/);
  });

  it('gives every video workflow a 30 minute deadline by default, and the one asked for', () => {
    for (const definition of videoDefinitions({ formats: videoFormats }))
      expect(definition.deadlineMs).toBe(30 * 60_000);
    for (const definition of videoDefinitions({ deadlineMs: 90 * 60_000 }))
      expect(definition.deadlineMs).toBe(90 * 60_000);
  });

  it('declares the file type each output node writes', () => {
    const definitions = new Map(videoDefinitions({ formats: videoFormats }).map((d) => [d.id, d]));
    const saveNode = (id: string) => {
      const definition = definitions.get(id);
      return definition?.outputs.map((o) => ({
        ...o,
        class: definition.template[o.node ?? '']?.class_type,
      }));
    };
    expect(saveNode('video.text-to-video')).toEqual([
      { node: '61', kind: 'video', mime: 'video/mp4', class: 'SaveVideo' },
    ]);
    expect(saveNode('video.text-to-video.webm')).toEqual([
      { node: '61', kind: 'video', mime: 'video/webm', class: 'SaveWEBM' },
    ]);
    expect(saveNode('video.image-to-video.webp')).toEqual([
      { node: '61', kind: 'animated-image', mime: 'image/webp', class: 'SaveAnimatedWEBP' },
    ]);
    expect(saveNode('video.text-to-video.vhs-mp4')).toEqual([
      { node: '61', kind: 'video', mime: 'video/mp4', class: 'VHS_VideoCombine' },
    ]);
    expect(saveNode('video.text-to-video.vhs-webp')).toEqual([
      { node: '61', kind: 'animated-image', mime: 'image/webp', class: 'VHS_VideoCombine' },
    ]);
    expect(saveNode('video.image-to-video.vhs-gif')).toEqual([
      { node: '61', kind: 'animated-image', mime: 'image/gif', class: 'VHS_VideoCombine' },
    ]);
  });

  it('lays Wan 2.2 out as two samplers over two diffusion models', () => {
    for (const definition of [textToVideo, imageToVideo]) {
      const graph = definition.template;
      const samplers = Object.values(graph).filter(
        (node) => node.class_type === 'KSamplerAdvanced',
      );
      expect(samplers.map((s) => s.inputs['model'])).toEqual([
        ['54', 0],
        ['55', 0],
      ]);
      expect(graph['54']?.inputs['model']).toEqual(['37', 0]);
      expect(graph['55']?.inputs['model']).toEqual(['56', 0]);
      expect(graph['37']?.inputs['unet_name']).toMatch(/high_noise/);
      expect(graph['56']?.inputs['unet_name']).toMatch(/low_noise/);
      expect(graph['57']?.inputs).toMatchObject({
        add_noise: 'enable',
        return_with_leftover_noise: 'enable',
      });
      expect(graph['58']?.inputs).toMatchObject({
        add_noise: 'disable',
        return_with_leftover_noise: 'disable',
        latent_image: ['57', 0],
      });
      expect(graph['38']?.inputs['type']).toBe('wan');
    }
    expect(imageToVideo.template['52']?.class_type).toBe('LoadImage');
    expect(imageToVideo.template['50']?.inputs['start_image']).toEqual(['52', 0]);
    expect(imageToVideo.parameters.find((p) => p.name === 'image')).toMatchObject({
      type: 'image',
      required: true,
      bind: { node: '52', input: 'image' },
    });
  });

  it('uses the model files an operator names', () => {
    const [t2v, i2v] = videoDefinitions({
      models: {
        textToVideo: { high: 'h.safetensors' },
        imageToVideo: { low: 'l.safetensors' },
        vae: 'v.safetensors',
      },
    });
    expect(t2v?.template['37']?.inputs['unet_name']).toBe('h.safetensors');
    expect(t2v?.template['56']?.inputs['unet_name']).toBe(
      'wan2.2_t2v_low_noise_14B_fp8_scaled.safetensors',
    );
    expect(i2v?.template['56']?.inputs['unet_name']).toBe('l.safetensors');
    expect(i2v?.template['39']?.inputs['vae_name']).toBe('v.safetensors');
  });

  it('loads its templates relative to the module, so the built package works on its own', () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    expect(existsSync(dist), 'build the package first (tsc -b)').toBe(true);
    const script = `
      const m = await import(${JSON.stringify(dist)});
      const defs = m.videoDefinitions({ formats: m.videoFormats });
      console.log(JSON.stringify(defs.map((d) => [d.id, Object.keys(d.template).length])));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: '/',
      encoding: 'utf8',
    });
    const loaded = JSON.parse(out) as [string, number][];
    expect(loaded).toHaveLength(12);
    expect(Object.fromEntries(loaded)['video.image-to-video']).toBe(
      Object.keys(imageToVideo.template).length,
    );
  });
});

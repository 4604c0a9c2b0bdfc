import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { solidPng } from '@comfyrelay/testkit';

const progress = {
  class_type: 'TestProgressNode',
  inputs: { seed: 42, steps: 2, delay: 0.01, width: 64, height: 64 },
};
const save = (from: [string, number]) => ({
  class_type: 'SaveImage',
  inputs: { images: from, filename_prefix: 'harness' },
});
const txt2img: Record<string, { class_type: string; inputs: Record<string, unknown> }> = {
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 1,
      steps: 20,
      cfg: 8,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
  },
  '4': {
    class_type: 'CheckpointLoaderSimple',
    inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' },
  },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a lighthouse', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['8', 0] } },
};

/** The files the bad invocations point at, each wrong in one way. */
export async function writeCorpusFixtures(dir: string): Promise<void> {
  const json = (name: string, value: unknown) =>
    writeFile(join(dir, name), JSON.stringify(value, null, 2));
  await mkdir(join(dir, 'adir'), { recursive: true });
  await json('wf.json', { '1': progress, '2': save(['1', 0]) });
  await json('li.json', {
    '1': { class_type: 'LoadImage', inputs: { image: 'example.png' } },
    '2': save(['1', 0]),
  });
  await json('dangling.json', { '1': progress, '2': save(['5', 0]) });
  await json('badslot.json', { '1': progress, '2': save(['1', 3]) });
  await json('nooutput.json', { '1': progress });
  await json('unknownclass.json', {
    '1': { class_type: 'NoSuchNode', inputs: {} },
    '2': save(['1', 0]),
  });
  await writeFile(join(dir, 'broken.json'), '{ "1": ');
  await json('ui.json', { nodes: [], links: [] });
  await writeFile(join(dir, 'empty.json'), '');
  await json('notnodes.json', { '1': { inputs: {} } });
  await writeFile(join(dir, 'notes.txt'), 'hello');
  await writeFile(join(dir, 'pic.png'), solidPng(16, 16));
  // A PNG header at the start of 2 MiB: only its size may refuse it.
  const big = Buffer.alloc(2 * 1024 * 1024);
  solidPng(4, 4).copy(big);
  await writeFile(join(dir, 'big.png'), big);
  const nosteps = structuredClone(txt2img);
  delete nosteps['3']?.inputs['steps'];
  await json('nosteps.json', nosteps);
  await json('custom.json', {
    ...txt2img,
    '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['10', 0] } },
    '10': {
      class_type: 'FaceDetailer',
      inputs: { guide_size: 512, image: ['8', 0], model: ['4', 0] },
    },
  });
  await json('portrait.json', txt2img);
  await json('portrait.manifest.json', {
    id: 'Portrait',
    parameters: { style: { bind: '99.text' }, steps: { max: 10 } },
  });
}

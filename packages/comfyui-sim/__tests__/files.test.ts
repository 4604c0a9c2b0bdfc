import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../src/image/png-decode.js';
import { encodePng } from '../src/image/png-encode.js';
import { solidImage } from '../src/image/rgb-image.js';
import type { ComfySimulator } from '../src/index.js';
import { getJson, queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { loadUploadSave, progressSave } from './helpers/workflows.js';

const startSimulator = useSimulators();
const PNG_MAGIC = '89504e470d0a1a0a';

async function upload(
  sim: ComfySimulator,
  bytes: Buffer,
  filename: string,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  form.append('image', new Blob([bytes], { type: 'image/png' }), filename);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  const response = await fetch(`${sim.url}/upload/image`, { method: 'POST', body: form });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as {
      name: string;
      subfolder: string;
      type: string;
    },
  };
}

async function view(sim: ComfySimulator, query: string) {
  const response = await fetch(`${sim.url}/view?${query}`);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

describe('GET /view', () => {
  it('serves a saved image as PNG, 404 when missing, refuses traversal', async () => {
    const sim = await startSimulator();
    const end = sim.nextEvent('execution-end');
    await queuePrompt(sim, { prompt: progressSave(3, 1) });
    await end;

    const image = await view(sim, 'filename=harness_00001_.png&subfolder=&type=output');
    expect(image.status).toBe(200);
    expect(image.type).toBe('image/png');
    expect(image.bytes.subarray(0, 8).toString('hex')).toBe(PNG_MAGIC);
    expect(decodePng(image.bytes)).toMatchObject({ width: 64, height: 64 });
    expect(
      (await view(sim, 'filename=harness_00001_.png&subfolder=&type=output&preview=webp;50'))
        .status,
    ).toBe(200);
    expect((await view(sim, 'filename=harness_00001_.png [output]')).status).toBe(200);

    expect((await view(sim, 'filename=does_not_exist.png')).status).toBe(404);
    expect((await view(sim, 'filename=../x.png')).status).toBe(400);
    expect((await view(sim, 'filename=/etc/passwd')).status).toBe(400);
    expect((await view(sim, 'filename=passwd&subfolder=../../../../etc')).status).toBe(403);
    expect((await view(sim, 'filename=passwd&subfolder=/etc')).status).toBe(403);
    expect((await view(sim, 'filename=x.png&type=models')).status).toBe(400);
  });

  it('writes subfolders from the filename prefix and serves them', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(3, 1, {}, 'bot/run'),
      client_id: 'c',
    });
    const executed = await socket.waitForJson('executed', (d) => d.prompt_id === prompt_id);
    expect(executed.data.output.images).toEqual([
      { filename: 'run_00001_.png', subfolder: 'bot', type: 'output' },
    ]);
    expect(existsSync(path.join(sim.dirs.output, 'bot', 'run_00001_.png'))).toBe(true);
    expect((await view(sim, 'filename=run_00001_.png&subfolder=bot&type=output')).status).toBe(200);
  });
});

describe('POST /upload/image', () => {
  it('keeps the name for identical bytes, renames for other bytes, honours overwrite and subfolder', async () => {
    const sim = await startSimulator();
    const red = encodePng(solidImage(4, 4, [255, 0, 0]));
    const blue = encodePng(solidImage(4, 4, [0, 0, 255]));

    expect(await upload(sim, red, 'upload_test.png')).toEqual({
      status: 200,
      body: { name: 'upload_test.png', subfolder: '', type: 'input' },
    });
    expect((await upload(sim, red, 'upload_test.png')).body.name).toBe('upload_test.png');
    expect((await upload(sim, blue, 'upload_test.png', { subfolder: 'bot' })).body).toEqual({
      name: 'upload_test.png',
      subfolder: 'bot',
      type: 'input',
    });
    expect((await upload(sim, blue, 'upload_test.png')).body.name).toBe('upload_test (1).png');
    expect((await upload(sim, blue, 'upload_test.png')).body.name).toBe('upload_test (1).png');
    expect(
      (await upload(sim, encodePng(solidImage(4, 4, [0, 255, 0])), 'upload_test.png')).body.name,
    ).toBe('upload_test (2).png');
    expect((await upload(sim, blue, 'upload_test.png', { overwrite: 'true' })).body.name).toBe(
      'upload_test.png',
    );

    const served = await view(sim, 'filename=upload_test.png&type=input');
    expect(served.bytes.equals(blue)).toBe(true);
    expect((await upload(sim, red, 'x.png', { type: 'temp' })).body.type).toBe('temp');

    const info = await getJson(sim, '/object_info/LoadImage');
    expect(info.body.LoadImage.input.required.image).toEqual([
      ['upload_test (1).png', 'upload_test (2).png', 'upload_test.png'],
      { image_upload: true },
    ]);
  });

  it('answers 400 without an image part or for a filename escaping the folder', async () => {
    const sim = await startSimulator();
    const form = new FormData();
    form.append('type', 'input');
    expect((await fetch(`${sim.url}/upload/image`, { method: 'POST', body: form })).status).toBe(
      400,
    );
    expect((await upload(sim, Buffer.from('x'), '../../evil.png')).status).toBe(400);
  });

  it('feeds uploads to LoadImage: the saved image has the uploaded pixels', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    await upload(sim, encodePng(solidImage(32, 16, [10, 200, 30])), 'upload_test.png', {
      subfolder: 'bot',
    });
    const { prompt_id } = await queuePrompt(sim, {
      prompt: loadUploadSave('bot/upload_test.png'),
      client_id: 'c',
    });
    const executed = await socket.waitForJson('executed', (d) => d.prompt_id === prompt_id);
    const [saved] = executed.data.output.images;
    const decoded = decodePng((await view(sim, `filename=${saved.filename}&type=output`)).bytes);
    expect(decoded).toMatchObject({ width: 32, height: 16 });
    expect([...(decoded?.data.subarray(0, 3) ?? [])]).toEqual([10, 200, 30]);
  });
});

import { describe, expect, it } from 'vitest';
import { getJson, queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket, type BinaryFrame } from './helpers/test-socket.js';
import { progressPreview, progressSave, textToImage } from './helpers/workflows.js';

const startSimulator = useSimulators();
const PNG_MAGIC = '89504e470d0a1a0a';

function decodeEvent4(frame: BinaryFrame): { meta: Record<string, unknown>; image: Buffer } {
  const length = frame.bytes.readUInt32BE(4);
  return {
    meta: JSON.parse(frame.bytes.subarray(8, 8 + length).toString('utf8')),
    image: frame.bytes.subarray(8 + length),
  };
}

describe('preview frames', () => {
  it('answers a first feature_flags message and then sends event 4 with metadata (captures/featureflags.log)', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'clientZ', featureFlags: true });
    const flags = await socket.waitForJson('feature_flags');
    expect(flags.data).toEqual({
      supports_preview_metadata: true,
      max_upload_size: 104857600,
      extension: { manager: { supports_v4: true } },
    });
    expect((await getJson(sim, '/features')).body).toEqual(flags.data);

    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressPreview(43, 3),
      client_id: 'clientZ',
    });
    await socket.waitForPromptEnd(prompt_id);
    const types = socket.typesFor(prompt_id);
    expect(types.slice(4, 10)).toEqual([
      'progress_state',
      'binary4',
      'progress',
      'progress_state',
      'binary4',
      'progress',
    ]);
    const frames = socket.binary();
    expect(frames).toHaveLength(3);
    const { meta, image } = decodeEvent4(frames[0] as BinaryFrame);
    expect(meta).toEqual({
      node_id: '1',
      prompt_id,
      display_node_id: '1',
      parent_node_id: null,
      real_node_id: '1',
      image_type: 'image/png',
    });
    expect(image.subarray(0, 8).toString('hex')).toBe(PNG_MAGIC);
    expect(socket.json('executed')[0]?.data.output.images[0]).toMatchObject({
      type: 'temp',
      filename: expect.stringMatching(/^ComfyUI_temp_[a-z]{5}_00001_\.png$/),
    });
  });

  it('sends event 1 (PNG) after progress to a client without feature flags', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'clientX' });
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(1, 2, { send_preview: true }),
      client_id: 'clientX',
    });
    await socket.waitForPromptEnd(prompt_id);
    expect(socket.types()).not.toContain('feature_flags');
    expect(socket.typesFor(prompt_id).slice(4, 7)).toEqual([
      'progress_state',
      'progress',
      'binary1',
    ]);
    const [frame] = socket.binary();
    expect(frame?.bytes.readUInt32BE(4)).toBe(2);
    expect(frame?.bytes.subarray(8, 16).toString('hex')).toBe(PNG_MAGIC);
  });

  it('ignores feature_flags that is not the first message', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'late' });
    socket.send({ type: 'hello' });
    socket.send({ type: 'feature_flags', data: { supports_preview_metadata: true } });
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(1, 1, { send_preview: true }),
      client_id: 'late',
    });
    await socket.waitForPromptEnd(prompt_id);
    expect(socket.types()).not.toContain('feature_flags');
    expect(socket.binary().map((f) => f.event)).toEqual([1]);
  });

  it('sends sampler previews each step, and none when previews are off', async () => {
    const withPreviews = await startSimulator();
    const socket = await TestSocket.open(withPreviews, { clientId: 'c' });
    const run = await queuePrompt(withPreviews, {
      prompt: textToImage({ steps: 3 }),
      client_id: 'c',
    });
    await socket.waitForPromptEnd(run.prompt_id);
    expect(socket.binary()).toHaveLength(3);

    const without = await startSimulator({ previews: false });
    const quiet = await TestSocket.open(without, { clientId: 'c' });
    const second = await queuePrompt(without, {
      prompt: progressSave(1, 2, { send_preview: true }),
      client_id: 'c',
    });
    await quiet.waitForPromptEnd(second.prompt_id);
    expect(quiet.binary()).toHaveLength(0);
  });
});

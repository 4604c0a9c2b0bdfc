import { readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { queuePrompt } from './helpers/http.js';
import { videoCombine, wanTextToVideoFrames } from './helpers/model-workflows.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';

// A machine where @ffmpeg-installer/linux-x64 is not installed (e.g. macOS): resolving it fails.
vi.mock('node:module', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:module')>()),
  createRequire: () => ({
    resolve: (id: string) => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    },
  }),
}));

const startSimulator = useSimulators();

describe('video outputs without ffmpeg', () => {
  it('fail the node with an execution_error that says so, and write no video file', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const prompt = { ...wanTextToVideoFrames(5), '20': videoCombine('video/h264-mp4', 'none') };
    const { prompt_id } = await queuePrompt(sim, { prompt, client_id: 'c' });
    await socket.waitForPromptEnd(prompt_id);
    const error = socket.json('execution_error')[0]?.data;
    expect(error).toMatchObject({
      node_id: '20',
      node_type: 'VHS_VideoCombine',
      exception_type: 'ProcessLookupError',
    });
    expect(error.exception_message).toContain('ffmpeg is required for video outputs');
    expect(error.exception_message).toContain('@ffmpeg-installer/linux-x64');
    // Like VHS, the first-frame PNG is written before the encoder is looked for.
    expect(readdirSync(sim.dirs.output)).toEqual(['none_00001.png']);
  });
});

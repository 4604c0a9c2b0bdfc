import { describe, expect, it } from 'vitest';
import { getJson, queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { progressSave, textToImage } from './helpers/workflows.js';

const startSimulator = useSimulators();

async function runToEnd(
  socket: TestSocket,
  sim: Parameters<typeof queuePrompt>[0],
  prompt: unknown,
): Promise<string> {
  const { prompt_id } = await queuePrompt(sim, { prompt, client_id: 'c' });
  await socket.waitForPromptEnd(prompt_id);
  return prompt_id;
}

describe('node cache', () => {
  it('serves an identical prompt entirely from cache (captures/cached.log)', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const first = await runToEnd(socket, sim, progressSave(761336789, 2));
    const firstOutput = socket.json('executed')[0]?.data.output;
    const mark = socket.frames.length;
    const second = await runToEnd(socket, sim, progressSave(761336789, 2));

    expect(socket.types().slice(mark)).toEqual([
      'status',
      'status',
      'execution_start',
      'execution_cached',
      'executed',
      'progress_state',
      'execution_success',
      'status',
      'executing',
    ]);
    expect(socket.json('execution_cached')[1]?.data.nodes).toEqual(['1', '2']);
    expect(socket.json('executed')[1]?.data).toEqual({
      node: '2',
      display_node: '2',
      output: firstOutput,
      prompt_id: second,
    });
    expect(socket.json('progress_state').at(-1)?.data.nodes).toEqual({
      '2': expect.objectContaining({ state: 'finished', value: 1, max: 1 }),
    });
    const history = (await getJson(sim, `/history/${second}`)).body[second];
    expect(history.outputs).toEqual({ '2': firstOutput });
    expect(history.status.messages[1]).toEqual([
      'execution_cached',
      { nodes: ['1', '2'], prompt_id: second, timestamp: expect.any(Number) },
    ]);
    expect(first).not.toBe(second);
  });

  it('reuses unchanged upstream nodes when only the sampler seed changes', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    await runToEnd(socket, sim, textToImage({ seed: 1 }));
    const second = await runToEnd(socket, sim, textToImage({ seed: 2 }));
    expect(socket.json('execution_cached').at(-1)?.data.nodes).toEqual(['4', '5', '6', '7']);
    const executing = socket
      .json('executing')
      .filter((f) => f.data.prompt_id === second && f.data.node !== null);
    expect(executing.map((f) => f.data.node)).toEqual(['3', '8', '9']);
  });

  it('keeps only what the previous prompt used (classic cache)', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    await runToEnd(socket, sim, progressSave(1, 1));
    await runToEnd(socket, sim, progressSave(2, 1));
    await runToEnd(socket, sim, progressSave(1, 1));
    expect(socket.json('execution_cached').map((f) => f.data.nodes)).toEqual([[], [], []]);
  });

  it('a changed input file invalidates LoadImage', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const { writeFile } = await import('node:fs/promises');
    const { encodePng } = await import('../src/image/png-encode.js');
    const { solidImage } = await import('../src/image/rgb-image.js');
    const file = `${sim.dirs.input}/in.png`;
    const prompt = {
      '1': { class_type: 'LoadImage', inputs: { image: 'in.png' } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
    };
    await writeFile(file, encodePng(solidImage(2, 2, [1, 2, 3])));
    await runToEnd(socket, sim, prompt);
    await runToEnd(socket, sim, prompt);
    await writeFile(file, encodePng(solidImage(2, 2, [9, 9, 9])));
    await runToEnd(socket, sim, prompt);
    expect(socket.json('execution_cached').map((f) => f.data.nodes)).toEqual([[], ['1', '2'], []]);
  });
});

import { describe, expect, it } from 'vitest';
import { getJson, queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { progressSave } from './helpers/workflows.js';

const startSimulator = useSimulators();

/** captures/concurrent.log, first prompt (TestProgressNode with 2 steps → SaveImage), as seen by its client. */
const ONE_PROMPT = [
  'status',
  'status',
  'execution_start',
  'execution_cached',
  'progress_state',
  'executing',
  'progress_state',
  'progress',
  'progress_state',
  'progress',
  'progress_state',
  'progress_state',
  'executing',
  'executed',
  'progress_state',
  'execution_success',
  'status',
  'executing',
];

describe('message order for one prompt', () => {
  it('matches the real server message for message', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'clientX' });
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(1, 2),
      client_id: 'clientX',
    });
    await socket.waitForPromptEnd(prompt_id);

    expect(socket.types().slice(1)).toEqual(ONE_PROMPT);
    const [start, cached] = [
      socket.json('execution_start')[0]?.data,
      socket.json('execution_cached')[0]?.data,
    ];
    expect(start).toEqual({ prompt_id, timestamp: expect.any(Number) });
    expect(cached).toEqual({ nodes: [], prompt_id, timestamp: expect.any(Number) });
    expect(socket.json('executing').map((f) => f.data)).toEqual([
      { node: '1', display_node: '1', prompt_id },
      { node: '2', display_node: '2', prompt_id },
      { node: null, prompt_id },
    ]);
    expect(socket.json('progress').map((f) => f.data)).toEqual([
      { value: 1, max: 2, prompt_id, node: '1' },
      { value: 2, max: 2, prompt_id, node: '1' },
    ]);
    expect(socket.json('executed')[0]?.data).toEqual({
      node: '2',
      display_node: '2',
      output: { images: [{ filename: 'harness_00001_.png', subfolder: '', type: 'output' }] },
      prompt_id,
    });
    expect(socket.json('status').map((f) => f.data.status.exec_info.queue_remaining)).toEqual([
      0, 1, 1, 0,
    ]);
  });

  it('reports progress_state with every started node and its state', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const { prompt_id } = await queuePrompt(sim, { prompt: progressSave(1, 2), client_id: 'c' });
    await socket.waitForPromptEnd(prompt_id);
    const states = socket.json('progress_state').map((f) =>
      Object.entries(f.data.nodes as Record<string, { state: string; value: number; max: number }>)
        .map(([id, n]) => `${id}:${n.state}:${n.value}/${n.max}`)
        .join(' '),
    );
    expect(states).toEqual([
      '1:running:0/1',
      '1:running:1/2',
      '1:running:2/2',
      '1:finished:2/2',
      '1:finished:2/2 2:running:0/1',
      '1:finished:2/2 2:finished:1/1',
    ]);
    expect(socket.json('progress_state')[0]?.data.nodes['1']).toEqual({
      value: 0,
      max: 1,
      state: 'running',
      node_id: '1',
      prompt_id,
      display_node_id: '1',
      parent_node_id: null,
      real_node_id: '1',
    });
  });

  it('runs two prompts from one clientId back to back, the second after the first ends', async () => {
    const sim = await startSimulator();
    sim.holdExecution();
    const socket = await TestSocket.open(sim, { clientId: 'clientX' });
    const first = await queuePrompt(sim, { prompt: progressSave(1, 2), client_id: 'clientX' });
    const second = await queuePrompt(sim, { prompt: progressSave(2, 2), client_id: 'clientX' });
    sim.releaseExecution();
    await socket.waitForPromptEnd(second.prompt_id);

    const types = socket.frames.map((f) =>
      f.kind === 'json'
        ? `${f.type}${f.data.prompt_id === second.prompt_id ? '#2' : ''}`
        : 'binary',
    );
    const handover = types.indexOf('execution_success');
    expect(types.slice(handover, handover + 6)).toEqual([
      'execution_success',
      'status',
      'executing',
      'status',
      'execution_start#2',
      'execution_cached#2',
    ]);
    expect(socket.json('executed').map((f) => f.data.output.images[0].filename)).toEqual([
      'harness_00001_.png',
      'harness_00002_.png',
    ]);
    const history = await getJson(sim, `/history/${first.prompt_id}`);
    expect(history.body[first.prompt_id].status.status_str).toBe('success');
  });

  it('runs a no-client prompt and a queued one in priority order, not arrival order', async () => {
    const sim = await startSimulator();
    sim.holdExecution();
    const later = await queuePrompt(sim, { prompt: progressSave(1, 1), number: 10 });
    const sooner = await queuePrompt(sim, { prompt: progressSave(2, 1), number: 5 });
    const front = await queuePrompt(sim, { prompt: progressSave(3, 1), front: true });
    expect(sim.queueSnapshot().pending).toEqual([
      front.prompt_id,
      sooner.prompt_id,
      later.prompt_id,
    ]);
    const order: string[] = [];
    sim.on('execution-start', ({ promptId }) => order.push(promptId));
    const done = sim.nextEvent('execution-end', (e) => e.promptId === later.prompt_id);
    sim.releaseExecution();
    await done;
    expect(order).toEqual([front.prompt_id, sooner.prompt_id, later.prompt_id]);
  });
});

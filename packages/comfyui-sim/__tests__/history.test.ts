import { describe, expect, it } from 'vitest';
import { getJson, postJson, queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { failSave, progressSave } from './helpers/workflows.js';

const startSimulator = useSimulators();

describe('history', () => {
  it('is {} for pending, running and unknown prompts', async () => {
    const sim = await startSimulator({ stepDelayMs: 60_000 });
    const started = sim.nextEvent('execution-start');
    const running = await queuePrompt(sim, { prompt: progressSave(1, 2) });
    await started;
    const pending = await queuePrompt(sim, { prompt: progressSave(2, 2) });
    for (const id of [running.prompt_id, pending.prompt_id, 'unknown-prompt-id']) {
      const response = await getJson(sim, `/history/${id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({});
    }
  });

  it('records a successful prompt in the captured shape', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'clientX' });
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(7, 2),
      client_id: 'clientX',
    });
    await socket.waitForPromptEnd(prompt_id);
    const { body } = await getJson(sim, `/api/history/${prompt_id}`);
    expect(body).toEqual({
      [prompt_id]: {
        prompt: [
          0,
          prompt_id,
          progressSave(7, 2),
          { client_id: 'clientX', create_time: expect.any(Number) },
          ['2'],
        ],
        outputs: {
          '2': { images: [{ filename: 'harness_00001_.png', subfolder: '', type: 'output' }] },
        },
        status: {
          status_str: 'success',
          completed: true,
          messages: [
            ['execution_start', { prompt_id, timestamp: expect.any(Number) }],
            ['execution_cached', { nodes: [], prompt_id, timestamp: expect.any(Number) }],
            ['execution_success', { prompt_id, timestamp: expect.any(Number) }],
          ],
        },
        meta: { '2': { node_id: '2', display_node: '2', parent_node: null, real_node_id: '2' } },
      },
    });
  });

  it('records a failing node as in captures/failnode.log', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'clientF' });
    const { prompt_id } = await queuePrompt(sim, {
      prompt: failSave(1065186582, 5, 2),
      client_id: 'clientF',
    });
    await socket.waitForPromptEnd(prompt_id);

    expect(socket.typesFor(prompt_id)).toEqual([
      'execution_start',
      'execution_cached',
      'progress_state',
      'executing',
      'progress_state',
      'progress',
      'progress_state',
      'progress',
      'execution_error',
      'executing',
    ]);
    const error = socket.json('execution_error')[0]?.data;
    expect(error).toEqual({
      prompt_id,
      node_id: '1',
      node_type: 'TestFailNode',
      executed: [],
      exception_message: 'TestFailNode: deliberate failure at step 2 (seed=1065186582)\n',
      exception_type: 'RuntimeError',
      traceback: expect.arrayContaining([
        expect.stringContaining('harness_test_nodes/__init__.py", line 82, in run'),
      ]),
      current_inputs: { seed: [1065186582], steps: [5], fail_at: [2], delay: [0.2] },
      current_outputs: ['2', '1'],
      timestamp: expect.any(Number),
    });
    expect(error.traceback).toHaveLength(5);
    const history = (await getJson(sim, `/history/${prompt_id}`)).body[prompt_id];
    expect(history.outputs).toEqual({});
    expect(history.meta).toEqual({});
    expect(history.status.status_str).toBe('error');
    expect(history.status.completed).toBe(false);
    expect(history.status.messages[2]).toEqual(['execution_error', error]);
  });

  it('lists the newest entries with max_items, and can delete and clear', async () => {
    const sim = await startSimulator();
    const ids: string[] = [];
    for (let seed = 1; seed <= 3; seed++) {
      const end = sim.nextEvent('execution-end');
      ids.push((await queuePrompt(sim, { prompt: progressSave(seed, 1) })).prompt_id);
      await end;
    }
    expect(Object.keys((await getJson(sim, '/history?max_items=1')).body)).toEqual([ids[2]]);
    expect(Object.keys((await getJson(sim, '/history?max_items=2')).body)).toEqual(ids.slice(1));
    expect(Object.keys((await getJson(sim, '/history')).body)).toEqual(ids);
    expect(Object.keys((await getJson(sim, '/history?max_items=1&offset=0')).body)).toEqual([
      ids[0],
    ]);

    expect((await postJson(sim, '/history', { delete: [ids[0]] })).status).toBe(200);
    expect(Object.keys((await getJson(sim, '/history')).body)).toEqual(ids.slice(1));
    await postJson(sim, '/history', { clear: true });
    expect((await getJson(sim, '/history')).body).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { getJson, postJson, queuePrompt, request } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { progressSave } from './helpers/workflows.js';

const startSimulator = useSimulators();

describe('GET /queue', () => {
  it('lists running and pending items; pending is not in run order, sorting by item[0] gives it', async () => {
    const sim = await startSimulator({ stepDelayMs: 60_000 });
    const started = sim.nextEvent('execution-start');
    const running = await queuePrompt(sim, { prompt: progressSave(1, 2), client_id: 'c' });
    await started;
    const pending = [];
    for (let seed = 2; seed <= 4; seed++)
      pending.push(
        (await queuePrompt(sim, { prompt: progressSave(seed, 2), client_id: 'c' })).prompt_id,
      );

    const { body } = await getJson(sim, '/queue');
    expect(body.queue_running).toEqual([
      [
        0,
        running.prompt_id,
        progressSave(1, 2),
        { client_id: 'c', create_time: expect.any(Number) },
        ['2'],
      ],
    ]);
    const ids = body.queue_pending.map((item: unknown[]) => item[1]);
    expect(ids).not.toEqual(pending);
    const sorted = [...body.queue_pending]
      .sort((a, b) => a[0] - b[0])
      .map((item: unknown[]) => item[1]);
    expect(sorted).toEqual(pending);
    expect(sim.queueSnapshot()).toEqual({ running: [running.prompt_id], pending });
    expect((await getJson(sim, '/prompt')).body).toEqual({ exec_info: { queue_remaining: 4 } });
  });
});

describe('POST /queue', () => {
  it('deletes pending prompts: 200 empty, a status, and the prompt never runs nor gets history', async () => {
    const sim = await startSimulator();
    sim.holdExecution();
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const keep = await queuePrompt(sim, { prompt: progressSave(1, 1), client_id: 'c' });
    const drop = await queuePrompt(sim, { prompt: progressSave(2, 1), client_id: 'c' });
    const statusesBefore = socket.json('status').length;

    const response = await postJson(sim, '/queue', { delete: [drop.prompt_id, 'not-queued'] });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    await socket.waitFor(
      (f, i) =>
        i >= statusesBefore &&
        f.kind === 'json' &&
        f.type === 'status' &&
        f.data.status.exec_info.queue_remaining === 1,
    );
    expect(sim.queueSnapshot().pending).toEqual([keep.prompt_id]);

    sim.releaseExecution();
    await socket.waitForPromptEnd(keep.prompt_id);
    expect(
      socket.frames.some((f) => f.kind === 'json' && f.data?.prompt_id === drop.prompt_id),
    ).toBe(false);
    expect((await getJson(sim, `/history/${drop.prompt_id}`)).body).toEqual({});
  });

  it('clear:true empties pending only and sends a status', async () => {
    const sim = await startSimulator({ stepDelayMs: 60_000 });
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const started = sim.nextEvent('execution-start');
    const running = await queuePrompt(sim, { prompt: progressSave(1, 2), client_id: 'c' });
    await started;
    await queuePrompt(sim, { prompt: progressSave(2, 1), client_id: 'c' });
    await queuePrompt(sim, { prompt: progressSave(3, 1), client_id: 'c' });
    const response = await postJson(sim, '/queue', { clear: true });
    expect(response.status).toBe(200);
    await socket.waitFor(
      (f, i) =>
        i > 3 &&
        f.kind === 'json' &&
        f.type === 'status' &&
        f.data.status.exec_info.queue_remaining === 1,
    );
    expect(sim.queueSnapshot()).toEqual({ running: [running.prompt_id], pending: [] });
  });
});

describe('POST /interrupt', () => {
  it('with a pending prompt id is a no-op; with the running id interrupts it; empty body interrupts whatever runs', async () => {
    const sim = await startSimulator({ stepDelayMs: 60_000 });
    const socket = await TestSocket.open(sim, { clientId: 'c' });
    const firstStarted = sim.nextEvent('execution-start');
    const p1 = await queuePrompt(sim, { prompt: progressSave(1, 20), client_id: 'c' });
    await firstStarted;
    const p2 = await queuePrompt(sim, { prompt: progressSave(2, 20), client_id: 'c' });

    const noop = await postJson(sim, '/interrupt', { prompt_id: p2.prompt_id });
    expect(noop.status).toBe(200);
    expect(noop.text).toBe('');
    expect(sim.queueSnapshot()).toEqual({ running: [p1.prompt_id], pending: [p2.prompt_id] });

    const secondStarted = sim.nextEvent('execution-start', (e) => e.promptId === p2.prompt_id);
    await postJson(sim, '/interrupt', { prompt_id: p1.prompt_id });
    await socket.waitForPromptEnd(p1.prompt_id);
    expect(socket.typesFor(p1.prompt_id).slice(-2)).toEqual(['execution_interrupted', 'executing']);
    expect(socket.json('execution_interrupted')[0]?.data).toEqual({
      prompt_id: p1.prompt_id,
      node_id: '1',
      node_type: 'TestProgressNode',
      executed: [],
      timestamp: expect.any(Number),
    });
    await secondStarted;

    const end = sim.nextEvent('execution-end', (e) => e.promptId === p2.prompt_id);
    const global = await request(sim, 'POST', '/interrupt');
    expect(global.status).toBe(200);
    expect((await end).status).toBe('interrupted');

    const history = (await getJson(sim, `/history/${p1.prompt_id}`)).body[p1.prompt_id];
    expect(history.status).toEqual({
      status_str: 'error',
      completed: false,
      messages: [
        ['execution_start', { prompt_id: p1.prompt_id, timestamp: expect.any(Number) }],
        ['execution_cached', { nodes: [], prompt_id: p1.prompt_id, timestamp: expect.any(Number) }],
        [
          'execution_interrupted',
          {
            prompt_id: p1.prompt_id,
            node_id: '1',
            node_type: 'TestProgressNode',
            executed: [],
            timestamp: expect.any(Number),
          },
        ],
      ],
    });
    expect(history.outputs).toEqual({});
    expect(history.meta).toEqual({});
  });

  it('when idle, answers 200 and does not affect the next prompt', async () => {
    const sim = await startSimulator();
    expect((await postJson(sim, '/interrupt', {})).status).toBe(200);
    const end = sim.nextEvent('execution-end');
    await queuePrompt(sim, { prompt: progressSave(1, 1) });
    expect((await end).status).toBe('success');
  });
});

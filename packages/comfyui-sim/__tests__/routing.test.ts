import { describe, expect, it } from 'vitest';
import { getJson, queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { progressSave } from './helpers/workflows.js';

const startSimulator = useSimulators();

describe('who receives what', () => {
  it('sends a prompt’s messages only to the socket of its client_id, status to everyone', async () => {
    const sim = await startSimulator();
    const owner = await TestSocket.open(sim, { clientId: 'clientX' });
    const other = await TestSocket.open(sim, { clientId: 'clientY' });
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(1, 2, { send_preview: true }),
      client_id: 'clientX',
    });
    await owner.waitForPromptEnd(prompt_id);
    await other.waitForQueueEmpty();

    expect(owner.typesFor(prompt_id)).toContain('execution_success');
    expect(owner.binary()).toHaveLength(2);
    expect(new Set(other.types())).toEqual(new Set(['status']));
    expect(other.json('status').map((f) => f.data.status.exec_info.queue_remaining)).toEqual([
      0, 1, 1, 0,
    ]);
  });

  it('broadcasts progress, progress_state and previews of a prompt without client_id, and nothing else of it', async () => {
    const sim = await startSimulator();
    const watcher = await TestSocket.open(sim, { clientId: 'clientW' });
    const end = sim.nextEvent('execution-end');
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(1, 3, { send_preview: true }),
    });
    expect(await end).toEqual({ promptId: prompt_id, status: 'success' });
    await watcher.waitForQueueEmpty();

    // captures/noclient.log
    expect(watcher.types()).toEqual([
      'status',
      'status',
      'status',
      'progress_state',
      'progress_state',
      'progress',
      'binary1',
      'progress_state',
      'progress',
      'binary1',
      'progress_state',
      'progress',
      'binary1',
      'progress_state',
      'progress_state',
      'progress_state',
      'status',
    ]);
    const history = await getJson(sim, `/history/${prompt_id}`);
    expect(history.body[prompt_id].status.messages.map((m: [string]) => m[0])).toEqual([
      'execution_start',
      'execution_cached',
      'execution_success',
    ]);
    expect(history.body[prompt_id].prompt[3]).toEqual({ create_time: expect.any(Number) });
  });

  it('broadcasts execution_interrupted of a prompt without client_id', async () => {
    const sim = await startSimulator({ stepDelayMs: 60_000 });
    const watcher = await TestSocket.open(sim, { clientId: 'w' });
    const started = sim.nextEvent('execution-start');
    const { prompt_id } = await queuePrompt(sim, { prompt: progressSave(1, 3) });
    await started;
    const end = sim.nextEvent('execution-end');
    await fetch(`${sim.url}/interrupt`, { method: 'POST' });
    expect((await end).status).toBe('interrupted');
    const interrupted = await watcher.waitForJson('execution_interrupted');
    expect(interrupted.data).toEqual({
      prompt_id,
      node_id: '1',
      node_type: 'TestProgressNode',
      executed: [],
      timestamp: expect.any(Number),
    });
  });

  it('assigns a sid to a socket without clientId and routes that sid’s prompts to it', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim);
    const sid = socket.json('status')[0]?.data.sid as string;
    expect(sid).toMatch(/^[0-9a-f]{32}$/);
    expect(sim.connectedClientIds()).toEqual([sid]);
    const { prompt_id } = await queuePrompt(sim, { prompt: progressSave(1, 1), client_id: sid });
    await socket.waitForPromptEnd(prompt_id);
  });

  it('first status carries sid; later ones do not', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'abc' });
    const { prompt_id } = await queuePrompt(sim, { prompt: progressSave(1, 1), client_id: 'abc' });
    await socket.waitForPromptEnd(prompt_id);
    const statuses = socket.json('status').map((f) => f.data);
    expect(statuses[0]).toEqual({ status: { exec_info: { queue_remaining: 0 } }, sid: 'abc' });
    expect(statuses.slice(1).every((s) => !('sid' in s))).toBe(true);
  });
});

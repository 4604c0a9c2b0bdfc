import { describe, expect, it } from 'vitest';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { progressSave } from './helpers/workflows.js';

const startSimulator = useSimulators();

async function postAndRecord(
  url: string,
  body: unknown,
  timeline: string[],
): Promise<{ prompt_id: string }> {
  const response = await fetch(`${url}/prompt`, { method: 'POST', body: JSON.stringify(body) });
  timeline.push('http:answer');
  return (await response.json()) as { prompt_id: string };
}

describe('messages versus the HTTP answer to POST /prompt', () => {
  it('by default sends the enqueue and start messages before answering (idle queue)', async () => {
    const sim = await startSimulator();
    const timeline: string[] = [];
    const socket = await TestSocket.open(sim, { clientId: 'c', timeline, label: 'ws' });
    timeline.length = 0;
    const { prompt_id } = await postAndRecord(
      sim.url,
      { prompt: progressSave(1, 2), client_id: 'c', prompt_id: 'chosen-id' },
      timeline,
    );
    expect(prompt_id).toBe('chosen-id');
    await socket.waitForPromptEnd('chosen-id');
    expect(timeline.slice(0, timeline.indexOf('http:answer') + 1)).toEqual([
      'ws:status',
      'ws:status',
      'ws:execution_start',
      'ws:execution_cached',
      'ws:progress_state',
      'ws:executing',
      'http:answer',
    ]);
  });

  it('sends the enqueue status before answering when the queue is busy', async () => {
    const sim = await startSimulator();
    sim.holdExecution();
    const timeline: string[] = [];
    await TestSocket.open(sim, { clientId: 'c', timeline, label: 'ws' });
    timeline.length = 0;
    await postAndRecord(sim.url, { prompt: progressSave(1, 2), client_id: 'c' }, timeline);
    expect(timeline).toEqual(['ws:status', 'http:answer']);
  });

  it('with messagesBeforeResponse:false answers first', async () => {
    const sim = await startSimulator({ messagesBeforeResponse: false });
    const timeline: string[] = [];
    const socket = await TestSocket.open(sim, { clientId: 'c', timeline, label: 'ws' });
    timeline.length = 0;
    const { prompt_id } = await postAndRecord(
      sim.url,
      { prompt: progressSave(1, 2), client_id: 'c' },
      timeline,
    );
    await socket.waitForPromptEnd(prompt_id);
    expect(timeline[0]).toBe('http:answer');
    expect(timeline.slice(1, 5)).toEqual([
      'ws:status',
      'ws:status',
      'ws:execution_start',
      'ws:execution_cached',
    ]);
  });
});

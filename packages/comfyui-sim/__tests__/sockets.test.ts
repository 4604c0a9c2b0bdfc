import { describe, expect, it } from 'vitest';
import { queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { progressSave } from './helpers/workflows.js';

const startSimulator = useSimulators();

describe('socket map traps', () => {
  it('a duplicate clientId steals the map entry, and closing the older socket leaves the newer deaf (captures/dupclient.log)', async () => {
    const sim = await startSimulator();
    const older = await TestSocket.open(sim, { clientId: 'clientD' });
    const newer = await TestSocket.open(sim, { clientId: 'clientD' });
    const control = await TestSocket.open(sim, { clientId: 'control' });

    const first = await queuePrompt(sim, { prompt: progressSave(1, 2), client_id: 'clientD' });
    await newer.waitForPromptEnd(first.prompt_id);
    expect(older.types()).toEqual(['status']);

    const closed = sim.nextEvent('ws-close', (e) => e.clientId === 'clientD');
    await older.close();
    await closed;
    expect(sim.connectedClientIds()).toEqual(['control']);

    const received = newer.frames.length;
    const controlMark = control.frames.length;
    const ended = sim.nextEvent('execution-end');
    const second = await queuePrompt(sim, { prompt: progressSave(2, 2), client_id: 'clientD' });
    expect((await ended).promptId).toBe(second.prompt_id);
    await control.waitFor(
      (f, i) =>
        i >= controlMark &&
        f.kind === 'json' &&
        f.type === 'status' &&
        f.data.status.exec_info.queue_remaining === 0,
    );
    expect(newer.frames.length).toBe(received);
    expect(newer.ws.readyState).toBe(newer.ws.OPEN);
  });

  it('a socket reconnecting mid-run gets status, then executing without prompt_id (captures/reconnect.log)', async () => {
    const sim = await startSimulator({ stepDelayMs: 60_000 });
    const first = await TestSocket.open(sim, { clientId: 'clientR' });
    const started = sim.nextEvent('execution-start');
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(1, 3),
      client_id: 'clientR',
    });
    await started;
    const closed = sim.nextEvent('ws-close', (e) => e.clientId === 'clientR');
    await first.close();
    await closed;

    const second = await TestSocket.open(sim, { clientId: 'clientR' });
    await second.waitForJson('executing');
    expect(second.json().map((f) => f.data)).toEqual([
      { status: { exec_info: { queue_remaining: 1 } }, sid: 'clientR' },
      { node: '1' },
    ]);

    sim.setStepDelay(1);
    await second.waitForPromptEnd(prompt_id);
    expect(second.typesFor(prompt_id)).toContain('execution_success');
    expect(second.json('progress')[0]?.data).toMatchObject({ value: 1, max: 3, prompt_id });
  });

  it('a socket of another client reconnecting mid-run gets only status', async () => {
    const sim = await startSimulator({ stepDelayMs: 60_000 });
    const started = sim.nextEvent('execution-start');
    await queuePrompt(sim, { prompt: progressSave(1, 3), client_id: 'owner' });
    await started;
    const bystander = await TestSocket.open(sim, { clientId: 'bystander' });
    const bystanderStatus = bystander.json('status')[0]?.data;
    expect(bystanderStatus).toEqual({
      status: { exec_info: { queue_remaining: 1 } },
      sid: 'bystander',
    });
    const owner = await TestSocket.open(sim, { clientId: 'owner' });
    await owner.waitForJson('executing');
    expect(bystander.types()).toEqual(['status']);
  });

  it('sends no heartbeat: not one ping frame during a whole run (a deaf socket cannot tell)', async () => {
    const sim = await startSimulator();
    const socket = await TestSocket.open(sim, { clientId: 'quiet' });
    let pings = 0;
    socket.ws.on('ping', () => pings++);
    const { prompt_id } = await queuePrompt(sim, {
      prompt: progressSave(1, 3),
      client_id: 'quiet',
    });
    await socket.waitForPromptEnd(prompt_id);
    expect(pings).toBe(0);
  });

  it('emits ws-open and ws-close and lists connected clientIds', async () => {
    const sim = await startSimulator();
    const opened = sim.nextEvent('ws-open');
    const socket = await TestSocket.open(sim, { clientId: 'a' });
    expect(await opened).toEqual({ clientId: 'a' });
    expect(sim.connectedClientIds()).toEqual(['a']);
    const closed = sim.nextEvent('ws-close');
    await socket.close();
    expect(await closed).toEqual({ clientId: 'a' });
    expect(sim.connectedClientIds()).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { progressWorkflow, startFixture, typesOf, type Fixture } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';
import type { ConnectionStateChange } from '../src/connection/ComfyConnection.js';
import type { ComfySimulator } from '@comfyrelay/comfyui-sim';

/**
 * What a stale server-side socket does on real ComfyUI: a connection with our clientId that
 * ends removes our entry from the server's socket map, and our socket hears nothing from then on.
 */
async function makeDeaf(sim: ComfySimulator, clientId: string): Promise<void> {
  const ghost = new WebSocket(`${sim.url.replace('http', 'ws')}/ws?clientId=${clientId}`);
  await new Promise((resolve) => ghost.once('open', resolve));
  const gone = sim.nextEvent('ws-close', (e) => e.clientId === clientId);
  ghost.close();
  await gone;
  expect(sim.connectedClientIds()).not.toContain(clientId);
}

async function postAsOtherClient(url: string): Promise<void> {
  const answer = await fetch(`${url}/prompt`, {
    method: 'POST',
    body: JSON.stringify({ client_id: 'someone-else', prompt: progressWorkflow(1) }),
  });
  expect(answer.status).toBe(200);
}

function stepsOf(fixture: Fixture, id: string): number[] {
  return fixture
    .eventsOf(id)
    .flatMap((e) => (e.type === 'progress' && e.progress.step ? [e.progress.step] : []));
}

function lastStep(fixture: Fixture, id: string): number {
  return Math.max(0, ...stepsOf(fixture, id));
}

/** The last step published before the final (complete) progress. */
function lastStepBefore(fixture: Fixture, id: string): number {
  const steps = stepsOf(fixture, id);
  return Math.max(0, ...steps.slice(0, -1));
}

function stepReached(fixture: Fixture, id: string, step: number): Promise<unknown> {
  return waitFor(() => lastStep(fixture, id) >= step, { what: `step ${step}` });
}

describe('the one ComfyUI connection survives what real servers do', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => fixture?.close());

  it('detects a deaf socket after a duplicate clientId and recovers the generation (PROTOCOL trap 1)', async () => {
    fixture = await startFixture();
    const { relay, sim, submit } = fixture;
    const backend = fixture.backend;
    let deaf = 0;
    backend.connection.on('deaf', () => deaf++);
    // An old socket with our clientId that the server closes late: its handler unregisters OUR socket.
    const ghost = new WebSocket(`${sim.url.replace('http', 'ws')}/ws?clientId=${relay.clientId}`);
    await new Promise((resolve) => ghost.once('open', resolve));
    ghost.close();
    await waitFor(() => sim.connectedClientIds().length === 0, {
      what: 'the server to forget our socket',
    });

    const socketEvents: string[] = [];
    sim.on('ws-open', () => socketEvents.push('open'));
    sim.on('ws-close', () => socketEvents.push('close'));
    const generation = await submit(progressWorkflow(3));
    const record = await generation.done;
    expect(record.status).toBe('succeeded');
    expect(deaf).toBe(1);
    // The deaf socket was fully closed before its replacement was opened.
    expect(socketEvents).toEqual(['close', 'open']);
    expect(sim.connectedClientIds()).toEqual([relay.clientId]);
  });

  it('notices a socket that goes deaf mid-run, long after any submission, and resumes live progress', async () => {
    fixture = await startFixture({ stepDelayMs: 20, relay: { silenceCheckMs: 100 } });
    const { relay, sim, submit } = fixture;
    const backend = fixture.backend;
    const deaf = new Promise<void>((resolve) => backend.connection.once('deaf', () => resolve()));
    const generation = await submit(progressWorkflow(30));
    await stepReached(fixture, generation.id, 3);
    sim.setStepDelay(60_000); // hold the prompt still while the socket goes deaf
    await makeDeaf(sim, relay.clientId);
    // Someone else's prompt moves the queue: a healthy socket would have heard the status.
    const reopened = sim.nextEvent('ws-open', (e) => e.clientId === relay.clientId);
    await postAsOtherClient(sim.url);
    await deaf;
    await reopened;
    const stepAtDeafness = lastStep(fixture, generation.id);
    sim.setStepDelay(20);
    const record = await generation.done;
    expect(record.status).toBe('succeeded');
    expect(record.outputs).toHaveLength(1);
    expect(lastStepBefore(fixture, generation.id)).toBeGreaterThan(stepAtDeafness);
  });

  it('settles from history a prompt that finished on a deaf socket, again after a second deafness', async () => {
    fixture = await startFixture({ stepDelayMs: 10, relay: { silenceCheckMs: 100 } });
    const { relay, sim, submit } = fixture;
    const backend = fixture.backend;
    let deafCount = 0;
    backend.connection.on('deaf', () => deafCount++);
    for (const round of [1, 2]) {
      const generation = await submit(progressWorkflow(12));
      await stepReached(fixture, generation.id, 2);
      const ended = sim.nextEvent('execution-end', (e) => e.promptId === generation.promptId);
      await makeDeaf(sim, relay.clientId);
      await ended; // it finished on the server and the socket heard nothing of it
      const record = await generation.done;
      expect(record.status).toBe('succeeded');
      expect(record.outputs).toHaveLength(1);
      expect(deafCount).toBe(round);
    }
  });

  it('reconnects mid-run and completes a prompt that finished while disconnected (trap 2)', async () => {
    fixture = await startFixture({ stepDelayMs: 20 });
    const { relay, sim, submit } = fixture;
    const generation = await submit(progressWorkflow(8));
    await waitFor(
      () =>
        fixture!
          .eventsOf(generation.id)
          .some((e) => e.type === 'progress' && (e.progress.step ?? 0) >= 2),
      { what: 'step 2' },
    );
    const finished = new Promise((resolve) => sim.on('execution-end', resolve));
    sim.faults.refuseConnections(true);
    sim.faults.dropSockets();
    await finished; // the prompt completes on the server while we are away
    expect(generation.record().status).toBe('running');
    sim.faults.refuseConnections(false);
    const record = await generation.done;
    expect(record.status).toBe('succeeded');
    expect(record.outputs).toHaveLength(1);
    const image = await relay.readOutput(record.outputs![0]!);
    expect(image.readUInt32BE(0)).toBe(0x89504e47);
  });

  it('keeps following a prompt that is still running after a reconnect', async () => {
    fixture = await startFixture({ stepDelayMs: 25 });
    const { sim, submit } = fixture;
    const generation = await submit(progressWorkflow(12));
    await waitFor(
      () =>
        fixture!
          .eventsOf(generation.id)
          .some((e) => e.type === 'progress' && (e.progress.step ?? 0) >= 2),
      { what: 'step 2' },
    );
    sim.faults.dropSockets();
    const before = fixture.events.length;
    const record = await generation.done;
    expect(record.status).toBe('succeeded');
    // Progress kept coming on the new socket: steps beyond the drop were seen.
    const after = fixture.events.slice(before).filter((e) => 'id' in e && e.id === generation.id);
    const steps = after.flatMap((e) =>
      e.type === 'progress' && e.progress.step ? [e.progress.step] : [],
    );
    expect(Math.max(...steps)).toBeGreaterThan(3);
  });

  it('posts again, once, what a restarted ComfyUI lost before it started (trap 4)', async () => {
    fixture = await startFixture();
    const { sim, submit } = fixture;
    sim.holdExecution();
    const lost = await Promise.all([submit(progressWorkflow(2)), submit(progressWorkflow(2))]);
    const requeued = Promise.all(
      lost.map((g) => sim.nextEvent('prompt-queued', (e) => e.promptId === g.promptId)),
    );
    await sim.restart();
    await requeued;
    sim.releaseExecution();
    const records = await Promise.all(lost.map((g) => g.done));
    expect(records.map((record) => record.status)).toEqual(['succeeded', 'succeeded']);
    // The restarted server ran each exactly once.
    const history = (await (await fetch(`${sim.url}/history`)).json()) as Record<string, unknown>;
    expect(Object.keys(history).sort()).toEqual(lost.map((g) => g.promptId).sort());
  });

  it('fails, in words, what a restarted ComfyUI lost while running, and what it lost twice', async () => {
    fixture = await startFixture({ stepDelayMs: 20 });
    const { sim, submit } = fixture;
    const running = await submit(progressWorkflow(50));
    await sim.nextEvent('step', (e) => e.promptId === running.promptId);
    sim.holdExecution();
    const waiting = await submit(progressWorkflow(2));
    const requeued = sim.nextEvent('prompt-queued', (e) => e.promptId === waiting.promptId);
    await sim.restart();
    const runningRecord = await running.done;
    expect(runningRecord.status).toBe('failed');
    expect(runningRecord.error?.code).toBe('lost');
    expect(runningRecord.error?.message).toMatch(/ComfyUI lost this generation .*restarted/);

    await requeued; // posted again once: a second restart loses it for good
    await sim.restart();
    sim.releaseExecution();
    const waitingRecord = await waiting.done;
    expect(waitingRecord.status).toBe('failed');
    expect(waitingRecord.error?.message).toMatch(/ComfyUI lost this generation twice/);
    // The relay is connected again and new work runs.
    const fresh = await submit(progressWorkflow(2));
    expect((await fresh.done).status).toBe('succeeded');
  });

  it('backs off exponentially while the server refuses connections, never in a hot loop', async () => {
    fixture = await startFixture({
      relay: { connection: { backoff: { initialMs: 10, maxMs: 80, jitter: 0 } } },
    });
    const { sim } = fixture;
    const changes: ConnectionStateChange[] = [];
    fixture.backend.connection.on('state', (change) => changes.push(change));
    sim.faults.refuseConnections(true);
    sim.faults.dropSockets();
    await waitFor(() => changes.filter((c) => c.retryInMs !== undefined).length >= 6, {
      what: 'six retries',
    });
    const delays = changes.flatMap((c) => (c.retryInMs !== undefined ? [c.retryInMs] : []));
    expect(delays.slice(0, 6)).toEqual([10, 20, 40, 80, 80, 80]);
    sim.faults.refuseConnections(false);
    await waitFor(() => fixture!.backend.healthy, { what: 'reconnection' });
  });

  it('treats a 403 on the upgrade like any refusal and recovers when it stops', async () => {
    fixture = await startFixture({
      relay: { connection: { backoff: { initialMs: 10, maxMs: 40, jitter: 0 } } },
    });
    const { sim, submit } = fixture;
    const reasons: string[] = [];
    fixture.backend.connection.on('state', (c) => c.reason && reasons.push(c.reason));
    sim.faults.rejectUpgrades(403);
    sim.faults.dropSockets();
    await waitFor(() => reasons.some((r) => r.includes('403')), { what: 'a 403 reason' });
    sim.faults.rejectUpgrades(null);
    await waitFor(() => fixture!.backend.healthy, { what: 'reconnection' });
    const generation = await submit(progressWorkflow(2));
    expect(typesOf(fixture.eventsOf(generation.id))).toContain('submitted');
    expect((await generation.done).status).toBe('succeeded');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { progressWorkflow, startFixture, typesOf, type Fixture } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';
import type { ConnectionStateChange } from '../src/connection/ComfyConnection.js';

describe('the one ComfyUI connection survives what real servers do', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => fixture?.close());

  it('detects a deaf socket after a duplicate clientId and recovers the generation (PROTOCOL trap 1)', async () => {
    fixture = await startFixture();
    const { relay, sim } = fixture;
    const backend = relay.pool.backends[0]!;
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
    const generation = await relay.submit(progressWorkflow(3));
    const record = await generation.done;
    expect(record.status).toBe('succeeded');
    expect(deaf).toBe(1);
    // The deaf socket was fully closed before its replacement was opened.
    expect(socketEvents).toEqual(['close', 'open']);
    expect(sim.connectedClientIds()).toEqual([relay.clientId]);
  });

  it('reconnects mid-run and completes a prompt that finished while disconnected (trap 2)', async () => {
    fixture = await startFixture({ stepDelayMs: 20 });
    const { relay, sim } = fixture;
    const generation = await relay.submit(progressWorkflow(8));
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
    expect(generation.status).toBe('running');
    sim.faults.refuseConnections(false);
    const record = await generation.done;
    expect(record.status).toBe('succeeded');
    expect(record.outputs).toHaveLength(1);
    const image = await relay.readOutput(record.outputs![0]!);
    expect(image.readUInt32BE(0)).toBe(0x89504e47);
  });

  it('keeps following a prompt that is still running after a reconnect', async () => {
    fixture = await startFixture({ stepDelayMs: 25 });
    const { relay, sim } = fixture;
    const generation = await relay.submit(progressWorkflow(12));
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

  it('fails, in words, only the generations a restarted ComfyUI lost (trap 4)', async () => {
    fixture = await startFixture();
    const { relay, sim } = fixture;
    sim.holdExecution();
    const lost = await Promise.all([
      relay.submit(progressWorkflow(2)),
      relay.submit(progressWorkflow(2)),
    ]);
    await sim.restart();
    sim.releaseExecution();
    const records = await Promise.all(lost.map((g) => g.done));
    for (const record of records) {
      expect(record.status).toBe('failed');
      expect(record.error?.code).toBe('lost');
      expect(record.error?.message).toMatch(/ComfyUI lost this generation .*restarted/);
    }
    // The relay is connected again and new work runs.
    const fresh = await relay.submit(progressWorkflow(2));
    expect((await fresh.done).status).toBe('succeeded');
  });

  it('backs off exponentially while the server refuses connections, never in a hot loop', async () => {
    fixture = await startFixture({
      relay: { connection: { backoff: { initialMs: 10, maxMs: 80, jitter: 0 } } },
    });
    const { relay, sim } = fixture;
    const changes: ConnectionStateChange[] = [];
    relay.pool.backends[0]!.connection.on('state', (change) => changes.push(change));
    sim.faults.refuseConnections(true);
    sim.faults.dropSockets();
    await waitFor(() => changes.filter((c) => c.retryInMs !== undefined).length >= 6, {
      what: 'six retries',
    });
    const delays = changes.flatMap((c) => (c.retryInMs !== undefined ? [c.retryInMs] : []));
    expect(delays.slice(0, 6)).toEqual([10, 20, 40, 80, 80, 80]);
    sim.faults.refuseConnections(false);
    await waitFor(() => relay.pool.backends[0]!.healthy, { what: 'reconnection' });
  });

  it('treats a 403 on the upgrade like any refusal and recovers when it stops', async () => {
    fixture = await startFixture({
      relay: { connection: { backoff: { initialMs: 10, maxMs: 40, jitter: 0 } } },
    });
    const { relay, sim } = fixture;
    const reasons: string[] = [];
    relay.pool.backends[0]!.connection.on('state', (c) => c.reason && reasons.push(c.reason));
    sim.faults.rejectUpgrades(403);
    sim.faults.dropSockets();
    await waitFor(() => reasons.some((r) => r.includes('403')), { what: 'a 403 reason' });
    sim.faults.rejectUpgrades(null);
    await waitFor(() => relay.pool.backends[0]!.healthy, { what: 'reconnection' });
    const generation = await relay.submit(progressWorkflow(2));
    expect(typesOf(fixture.eventsOf(generation.id))).toContain('submitted');
    expect((await generation.done).status).toBe('succeeded');
  });
});

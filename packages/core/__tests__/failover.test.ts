import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendPool } from '../src/backend/BackendPool.js';
import { CircuitBreaker } from '../src/backend/CircuitBreaker.js';
import { ComfyRelay } from '../src/ComfyRelay.js';
import { createRelayContainer } from '../src/di/createRelayContainer.js';
import { BackendPoolToken } from '../src/di/tokens.js';
import { submitGraph } from '../src/internal/launchers.js';
import type { RelayConfig } from '../src/RelayConfig.js';
import { silentLogger } from '../src/util/Logger.js';
import { progressWorkflow } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';

async function history(sim: ComfySimulator): Promise<string[]> {
  return Object.keys((await (await fetch(`${sim.url}/history`)).json()) as object);
}

describe('backends that go away or keep failing', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function twoServers(config: Partial<RelayConfig>) {
    const sims = [
      await ComfySimulator.start({ port: 0, stepDelayMs: 2 }),
      await ComfySimulator.start({ port: 0, stepDelayMs: 2 }),
    ];
    cleanup.push(async () => void (await Promise.all(sims.map((sim) => sim.stop()))));
    const container = createRelayContainer(
      {
        backends: sims.map((sim, i) => ({ id: `sim${i}`, url: sim.url })),
        historyRetryDelayMs: 20,
        connection: { backoff: { initialMs: 20, maxMs: 100 } },
        ...config,
      },
      { logger: silentLogger },
    );
    const relay = container.resolve(ComfyRelay);
    const pool: BackendPool = container.resolve(BackendPoolToken);
    cleanup.push(() => relay.stop());
    return { sims: sims as [ComfySimulator, ComfySimulator], relay, pool };
  }

  it('moves what a dead server held but never started to another one; it runs there, once', async () => {
    const { sims, relay, pool } = await twoServers({
      failoverAfterMs: 100,
      scheduling: { perBackend: 10 },
    });
    const [a, b] = sims;
    b.faults.refuseConnections(true); // everything goes to A at first
    await relay.start();
    await waitFor(() => pool.get('sim0')?.healthy, { what: 'A' });
    a.holdExecution();
    const jobs = [
      await submitGraph(relay, progressWorkflow(2)),
      await submitGraph(relay, progressWorkflow(2)),
    ];
    await waitFor(() => a.queueSnapshot().pending.length === 2, { what: 'both on A' });
    b.faults.refuseConnections(false);
    await waitFor(() => pool.get('sim1')?.healthy, { what: 'B' });
    a.faults.refuseConnections(true);
    a.faults.dropSockets(); // A is gone, with our two prompts on its queue

    const records = await Promise.all(jobs.map((job) => job.done));
    expect(records.map((r) => [r.status, r.backend])).toEqual([
      ['succeeded', 'sim1'],
      ['succeeded', 'sim1'],
    ]);
    // A comes back: what B took over is taken off A's queue before it can run twice.
    a.faults.refuseConnections(false);
    await waitFor(() => a.queueSnapshot().pending.length === 0, { what: 'A to forget them' });
    a.releaseExecution();
    expect(await history(a)).toEqual([]);
    expect((await history(b)).sort()).toEqual(jobs.map((job) => job.promptId).sort());
  });

  it('takes a server that keeps failing out of the rotation; the work goes to the other', async () => {
    const { sims, relay, pool } = await twoServers({});
    const [a, b] = sims;
    await relay.start();
    await waitFor(() => pool.backends.every((backend) => backend.healthy), { what: 'both' });
    a.faults.failHttp('/prompt', 500, 'out of memory');
    const jobs = await Promise.all(
      Array.from({ length: 4 }, () => submitGraph(relay, progressWorkflow(2))),
    );
    const records = await Promise.all(jobs.map((job) => job.done));
    expect(records.every((r) => r.status === 'succeeded' && r.backend === 'sim1')).toBe(true);
    expect(await history(a)).toEqual([]);
    expect(await history(b)).toHaveLength(4);
  });
});

describe('CircuitBreaker', () => {
  it('opens after three failures in a row, lets one probe through after the cool-down, doubles it on a failed probe', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ cooldownMs: 1_000, now: () => now });
    breaker.failed();
    breaker.failed();
    expect(breaker.allows).toBe(true);
    breaker.failed();
    expect(breaker.allows).toBe(false);
    now = 1_000;
    expect(breaker.allows).toBe(true);
    breaker.attempt();
    expect(breaker.allows).toBe(false); // one probe at a time
    breaker.failed();
    now = 2_999;
    expect(breaker.allows).toBe(false);
    now = 3_000;
    expect(breaker.allows).toBe(true);
    breaker.attempt();
    breaker.succeeded();
    expect(breaker.allows).toBe(true);
    expect(breaker.isOpen).toBe(false);
  });

  it('a success in between resets the count', () => {
    const breaker = new CircuitBreaker();
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    expect(breaker.allows).toBe(true);
  });
});

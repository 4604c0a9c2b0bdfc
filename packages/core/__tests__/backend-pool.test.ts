import { afterEach, describe, expect, it } from 'vitest';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import type { BackendPool } from '../src/backend/BackendPool.js';
import { ComfyRelay } from '../src/ComfyRelay.js';
import { createRelayContainer } from '../src/di/createRelayContainer.js';
import { BackendPoolToken } from '../src/di/tokens.js';
import type { GenerationHandle } from '../src/generation/GenerationHandle.js';
import { submitGraph } from '../src/internal/launchers.js';
import { silentLogger } from '../src/util/Logger.js';
import { progressWorkflow } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';

describe('several ComfyUI servers', () => {
  const sims: ComfySimulator[] = [];
  let relay: ComfyRelay | undefined;
  afterEach(async () => {
    await relay?.stop();
    await Promise.all(sims.splice(0).map((sim) => sim.stop()));
  });

  it('sends new work to the healthy server with the shortest queue, one socket each', async () => {
    sims.push(
      await ComfySimulator.start({ port: 0, stepDelayMs: 5 }),
      await ComfySimulator.start({ port: 0, stepDelayMs: 5 }),
    );
    const [a, b] = sims as [ComfySimulator, ComfySimulator];
    const container = createRelayContainer(
      {
        backends: [
          { id: 'a', url: a.url },
          { id: 'b', url: b.url },
        ],
        historyRetryDelayMs: 20,
        // Every submission goes straight to a server: this is about choosing the server.
        scheduling: { perBackend: Infinity },
      },
      { logger: silentLogger },
    );
    relay = container.resolve(ComfyRelay);
    const pool: BackendPool = container.resolve(BackendPoolToken);
    await relay.start();
    await waitFor(() => pool.backends.every((backend) => backend.healthy), {
      what: 'both sockets',
    });
    a.holdExecution();
    b.holdExecution();
    const generations = [];
    const dispatched = async (handle: GenerationHandle) => {
      await waitFor(() => handle.record().submittedAt !== undefined, { what: 'its POST' });
      return handle;
    };
    for (let i = 0; i < 4; i++)
      generations.push(await dispatched(await submitGraph(relay, progressWorkflow(2))));
    expect(generations.map((g) => g.record().backend).sort()).toEqual(['a', 'a', 'b', 'b']);
    expect(a.connectedClientIds()).toEqual([relay.clientId]);
    expect(b.connectedClientIds()).toEqual([relay.clientId]);

    // One server goes away: new work goes to the other.
    a.faults.refuseConnections(true);
    a.faults.dropSockets();
    await waitFor(() => !pool.backends[0]!.healthy, { what: 'a to be unhealthy' });
    const next = await dispatched(await submitGraph(relay, progressWorkflow(2)));
    expect(next.record().backend).toBe('b');
    b.releaseExecution();
    expect((await next.done).status).toBe('succeeded');
  });
});

import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComfyRelay } from '../src/ComfyRelay.js';
import { createRelayContainer } from '../src/di/createRelayContainer.js';
import type { GenerationHandle } from '../src/generation/GenerationHandle.js';
import { submitGraph } from '../src/internal/launchers.js';
import { FairQueue } from '../src/scheduling/FairQueue.js';
import { silentLogger } from '../src/util/Logger.js';
import { progressWorkflow } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';

let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await stop?.();
  stop = undefined;
});

describe('a queue behind backends that are all full', () => {
  it('is not walked on every tick, and still hands the next job on as soon as a place frees', async () => {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    const relay = createRelayContainer(
      { backends: [{ id: 'sim', url: sim.url }], historyRetryDelayMs: 20 },
      { logger: silentLogger },
    ).resolve(ComfyRelay);
    stop = async () => {
      await relay.stop();
      await sim.stop();
    };
    await relay.start();
    await relay.ready(5_000);
    const starts: string[] = [];
    sim.on('execution-start', ({ promptId }) => starts.push(promptId));
    sim.holdExecution();
    const submit = (userId: string) =>
      submitGraph(relay, progressWorkflow(2), { origin: { platform: 'test', userId } });
    const handles: GenerationHandle[] = [];
    for (let index = 0; index < 12; index++) handles.push(await submit(`user-${index % 3}`));
    const onServer = () => {
      const { running, pending } = sim.queueSnapshot();
      return running.length + pending.length;
    };
    const waiting = () =>
      relay.snapshot().generations.filter((record) => record.backend === undefined).length;
    await waitFor(() => onServer() === 2 && waiting() === 10, {
      what: '2 on the server, 10 waiting in our queue',
    });

    const picks = vi.spyOn(FairQueue.prototype, 'pick');
    const late = await submit('late');
    await new Promise((resolve) => setImmediate(resolve));
    expect(picks).not.toHaveBeenCalled();
    // Its place is still published, and it is a newcomer's: near the front, not behind the 10.
    const position = (await relay.record(late.id))?.position;
    expect(position).toBeGreaterThan(2);
    expect(position).toBeLessThan(13);

    picks.mockRestore();
    sim.releaseExecution();
    const records = await Promise.all([...handles, late].map((handle) => handle.done));
    expect(records.map((record) => record.status)).toEqual(Array(13).fill('succeeded'));
    // A newcomer goes next in fair order: "late" is not the last one to start.
    expect(starts.indexOf(late.promptId)).toBeLessThan(12);
  });
});

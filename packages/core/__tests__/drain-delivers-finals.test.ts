import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { ComfyRelay } from '../src/ComfyRelay.js';
import { createRelayContainer } from '../src/di/createRelayContainer.js';
import type { RelayEvent } from '../src/events.js';
import { submitGraph } from '../src/internal/launchers.js';
import { silentLogger } from '../src/util/Logger.js';
import { progressWorkflow } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';

/** A sink whose every send settles only when the test lets it. */
class SlowSink {
  readonly received: RelayEvent[] = [];
  private readonly waiting: (() => void)[] = [];

  send(event: RelayEvent): Promise<void> {
    this.received.push(event);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Let the send in flight settle; false when none is. */
  letOne(): boolean {
    const resolve = this.waiting.shift();
    resolve?.();
    return resolve !== undefined;
  }

  get holding(): number {
    return this.waiting.length;
  }
}

/** Every callback already queued has run (a turn of the event loop; no time is assumed). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('relay.drain(timeoutMs) and the subscribers', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function relayWithHeldJob() {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    cleanup.push(() => sim.stop());
    const relay = createRelayContainer(
      { backends: [{ id: 'sim', url: sim.url }], historyRetryDelayMs: 20 },
      { logger: silentLogger },
    ).resolve(ComfyRelay);
    cleanup.push(() => relay.stop());
    await relay.start();
    await relay.ready();
    sim.holdExecution();
    const job = await submitGraph(relay, progressWorkflow(2));
    await waitFor(() => job.record().submittedAt !== undefined, { what: 'its POST' });
    return { sim, relay, job };
  }

  it('resolves only once a slow subscriber was handed the final `succeeded`', async () => {
    const { sim, relay, job } = await relayWithHeldJob();
    const slow = new SlowSink();
    relay.subscribe(slow, { sendTimeoutMs: Infinity });
    let drained = false;
    const draining = relay.drain(60_000).then((left) => {
      drained = true;
      return left;
    });
    sim.releaseExecution();
    await waitFor(() => slow.holding > 0, { what: 'the first send to the slow sink' });
    // The generation ends on ComfyUI while the slow sink still holds an earlier event: the
    // scheduler has drained, the subscriber has not.
    expect((await job.done).status).toBe('succeeded');
    await turn();
    expect(drained).toBe(false);

    while (!slow.received.some((event) => event.type === 'succeeded')) {
      await waitFor(() => slow.holding > 0, { what: 'the next send' });
      expect(drained).toBe(false);
      slow.letOne();
    }
    expect(drained).toBe(false); // `succeeded` was handed over; its send has not settled yet
    slow.letOne();
    expect(await draining).toBe(0);
    expect(slow.received.filter((event) => event.type === 'succeeded')).toHaveLength(1);
  });

  it('a stuck subscriber holds it no longer than its send timeout', async () => {
    const { sim, relay, job } = await relayWithHeldJob();
    const stuck = relay.subscribe(
      { send: () => new Promise(() => undefined) },
      { sendTimeoutMs: 50 },
    );
    const draining = relay.drain(60_000);
    sim.releaseExecution();
    expect(await draining).toBe(0);
    expect(job.record().status).toBe('succeeded');
    expect(stuck.closed).toBe(true);
    expect(relay.subscriberDrops()['send-timeout']).toBe(1);
  });

  it('and no longer than timeoutMs, whatever its send timeout', async () => {
    const { sim, relay, job } = await relayWithHeldJob();
    const stuck = relay.subscribe(
      { send: () => new Promise(() => undefined) },
      { sendTimeoutMs: Infinity },
    );
    sim.releaseExecution();
    await job.done;
    expect(await relay.drain(200)).toBe(0);
    expect(stuck.closed).toBe(false);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { progressWorkflow, startFixture, type Fixture } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';
import type { DropReason } from '../src/broadcast/DropReason.js';
import type { RelayEvent } from '../src/events.js';

// Seed 003: one slow listener froze every broadcast for 40 s. Seed 004: passive listeners that
// never send were disconnected.
describe('subscribers of a relay', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await fixture?.close();
  });

  it('a subscriber that stops reading is dropped with a reason and delays nobody', async () => {
    fixture = await startFixture({ relay: { broadcast: { sendTimeoutMs: 200 } } });
    const { relay, submit } = fixture;
    const dropped: DropReason[] = [];
    relay.subscribe(
      { send: () => new Promise<void>(() => {}), close: (reason) => dropped.push(reason) },
      { name: 'stuck' },
    );
    const fast: RelayEvent[] = [];
    relay.subscribe({ send: async (event) => void fast.push(event) }, { name: 'fast' });
    const generations = await Promise.all([
      submit(progressWorkflow(3)),
      submit(progressWorkflow(3)),
    ]);
    await Promise.all(generations.map((g) => g.done));
    await waitFor(() => fast.filter((e) => e.type === 'succeeded').length === 2, {
      what: 'both results on the fast subscriber',
    });
    await waitFor(() => dropped.length === 1, { what: 'the stuck subscriber to be dropped' });
    expect(dropped[0]?.code).toBe('send-timeout');
    expect(fast.filter((e) => e.type === 'started')).toHaveLength(2);
    // Counted for an operator's metrics; one that leaves by itself is not a drop.
    relay.subscribe({ send: () => undefined }).unsubscribe();
    expect(relay.subscriberDrops()).toEqual({ 'send-timeout': 1 });
  });
});

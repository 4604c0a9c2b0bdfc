import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { progressWorkflow, startFixture, type Fixture } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';
import { EventStreamServer } from '../src/events/EventStreamServer.js';
import type { DropReason } from '../src/broadcast/DropReason.js';
import type { RelayEvent } from '../src/events.js';

// Seed 003: one slow listener froze every broadcast for 40 s. Seed 004: passive listeners that
// never send were disconnected.
describe('subscribers of a relay', () => {
  let fixture: Fixture | undefined;
  let stream: EventStreamServer<RelayEvent> | undefined;
  afterEach(async () => {
    await stream?.close();
    await fixture?.close();
  });

  it('a subscriber that stops reading is dropped with a reason and delays nobody', async () => {
    fixture = await startFixture({ relay: { broadcast: { sendTimeoutMs: 200 } } });
    const { relay } = fixture;
    const dropped: DropReason[] = [];
    relay.events.subscribe(
      { send: () => new Promise<void>(() => {}), close: (reason) => dropped.push(reason) },
      { name: 'stuck' },
    );
    const fast: RelayEvent[] = [];
    relay.events.subscribe({ send: async (event) => void fast.push(event) }, { name: 'fast' });
    const generations = await Promise.all([
      relay.submit(progressWorkflow(3)),
      relay.submit(progressWorkflow(3)),
    ]);
    await Promise.all(generations.map((g) => g.done));
    await waitFor(() => fast.filter((e) => e.type === 'succeeded').length === 2, {
      what: 'both results on the fast subscriber',
    });
    await waitFor(() => dropped.length === 1, { what: 'the stuck subscriber to be dropped' });
    expect(dropped[0]?.code).toBe('send-timeout');
    expect(fast.filter((e) => e.type === 'started')).toHaveLength(2);
  });

  it('a passive event-stream listener that never sends gets the snapshot, then every event', async () => {
    fixture = await startFixture();
    const { relay } = fixture;
    stream = new EventStreamServer<RelayEvent>({
      broadcaster: relay.events,
      snapshot: () => relay.snapshot(),
      encode: relay.encodeEvent,
      pingIntervalMs: 30,
    });
    const { url } = await stream.listen(0, '127.0.0.1');
    const listener = new WebSocket(url);
    const received: { type: string; data?: unknown }[] = [];
    let pings = 0;
    listener.on('ping', () => pings++);
    listener.on('message', (data) => received.push(JSON.parse(String(data))));
    await waitFor(() => received.length > 0, { what: 'the snapshot' });
    expect(received[0]).toMatchObject({ type: 'snapshot', data: { clientId: relay.clientId } });
    // Several keep-alive rounds pass while the listener says nothing at all.
    await waitFor(() => pings >= 5, { what: 'five pings' });
    const generation = await relay.submit(progressWorkflow(2));
    await generation.done;
    await waitFor(() => received.some((m) => m.type === 'succeeded'), { what: 'the result event' });
    expect(received.map((m) => m.type)).toEqual(
      expect.arrayContaining(['submitted', 'started', 'progress', 'succeeded']),
    );
    expect(listener.readyState).toBe(WebSocket.OPEN);
    listener.close();
  });
});

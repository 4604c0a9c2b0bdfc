import { submitGraph } from '@comfyrelay/core/protocol';
import type { RelayEvent } from '@comfyrelay/core';
import { startRelayFixture, waitFor, type RelayFixture } from '@comfyrelay/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventStreamServer } from '../src/index.js';

const progressWorkflow = (steps: number) => ({
  '1': { class_type: 'TestProgressNode', inputs: { seed: 1, steps, width: 16, height: 16 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'stream' } },
});

// Seed 004: passive listeners that never send were disconnected.
describe('an event stream on a relay', () => {
  let fixture: RelayFixture | undefined;
  let stream: EventStreamServer<RelayEvent> | undefined;
  afterEach(async () => {
    await stream?.close();
    await fixture?.close();
  });

  it('a passive event-stream listener that never sends gets the snapshot, then every event', async () => {
    fixture = await startRelayFixture();
    const { relay } = fixture;
    stream = new EventStreamServer<RelayEvent>({
      source: relay,
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
    const generation = await submitGraph(relay, progressWorkflow(2));
    await generation.done;
    await waitFor(() => received.some((m) => m.type === 'succeeded'), { what: 'the result event' });
    expect(received.map((m) => m.type)).toEqual(
      expect.arrayContaining(['submitted', 'started', 'progress', 'succeeded']),
    );
    expect(listener.readyState).toBe(WebSocket.OPEN);
    listener.close();
  });
});

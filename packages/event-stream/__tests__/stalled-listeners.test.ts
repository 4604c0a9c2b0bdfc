import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Broadcaster, type SubscriptionOptions } from '@comfyrelay/core';
import { EventStreamServer, type ListenerDropReason } from '../src/index.js';
import { dropRecorder } from './helpers/dropRecorder.js';
import { Listener, terminateListeners } from './helpers/Listener.js';
import { onStop, range, startStream, stopStreams } from './helpers/startStream.js';

afterEach(async () => {
  terminateListeners();
  await stopStreams();
});

/**
 * Publishes small events, each once every fast listener has the previous one, until `done()`;
 * returns how many were published. The pause between events only keeps the count modest.
 */
async function publishUntil(
  broadcaster: Broadcaster<number>,
  fast: Listener[],
  done: () => boolean,
): Promise<number> {
  let published = 0;
  while (!done()) {
    broadcaster.publish(published++);
    await Promise.all(fast.map((l) => l.untilMessages(published + 1)));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return published;
}

describe('listeners that stop reading', () => {
  it('with the default options, paused listeners are dropped for the pings they never answer, and the others get everything', async () => {
    // Small events: the kernel keeps absorbing what is sent to the paused sockets, so every
    // write completes and no send timeout can catch them. Only the pings can.
    const recorder = dropRecorder<string, ListenerDropReason>();
    const { broadcaster, server, url } = await startStream<number>({
      snapshot: () => 'hello',
      onDrop: recorder.onDrop,
    });
    const fast = [new Listener(url), new Listener(url)];
    const paused = [new Listener(url), new Listener(url)];
    await Promise.all([...fast, ...paused].map((l) => l.untilMessages(1)));
    for (const l of paused) l.ws.pause();

    let published = await publishUntil(broadcaster, fast, () => recorder.drops.length >= 2);
    expect(recorder.drops.map((reason) => reason.code)).toEqual(['pong-timeout', 'pong-timeout']);
    expect([...recorder.who].sort()).toEqual(paused.map((l) => l.serverName).sort());
    expect(server.listenerCount).toBe(2);

    broadcaster.publish(published++);
    await Promise.all(fast.map((l) => l.untilMessages(published + 1)));
    for (const l of fast) {
      expect(l.updates).toEqual(range(published));
      expect(l.ws.readyState).toBe(WebSocket.OPEN);
    }
    // Reading again, they find their sockets cut: no closing handshake for a peer that stopped reading.
    for (const l of paused) l.ws.resume();
    const closes = await Promise.all(paused.map((l) => l.closed));
    expect(closes.map((c) => c.code)).toEqual([1006, 1006]);
    expect(recorder.drops).toHaveLength(2);
  });

  it('keeps a slow listener that reads in bursts and answers each ping several pings late', async () => {
    const recorder = dropRecorder<string, ListenerDropReason>();
    const { broadcaster, server, url } = await startStream<number>({
      snapshot: () => 'hello',
      pingIntervalMs: 50,
      pongTimeoutMs: 1_000,
      onDrop: recorder.onDrop,
    });
    const fast = new Listener(url);
    const slow = new Listener(url, { autoPong: false });
    let latePongs = 0;
    let stalledUntil = 0;
    // It reads for 50 ms, then a ping stops its reading for 150 ms (3 ping intervals): on
    // resuming it answers that ping, later than the next ping, which "answer before the next
    // ping" would not forgive. Pings that arrive while it reads are left unanswered.
    slow.ws.on('ping', () => {
      if (performance.now() < stalledUntil + 50) return;
      stalledUntil = performance.now() + 150;
      slow.ws.pause();
      setTimeout(() => {
        slow.ws.resume();
        slow.ws.pong();
        latePongs++;
        slow.check();
      }, 150);
    });
    await Promise.all([fast.untilMessages(1), slow.untilMessages(1)]);

    const published = await publishUntil(broadcaster, [fast], () => latePongs >= 10);
    await slow.untilMessages(published + 1);
    expect(recorder.drops).toEqual([]);
    expect(server.listenerCount).toBe(2);
    expect(slow.ws.readyState).toBe(WebSocket.OPEN);
    expect(slow.updates).toEqual(range(published));
    expect(fast.updates).toEqual(range(published));
  });

  it('a listener that answers no ping is dropped with a reason that names it', async () => {
    const recorder = dropRecorder<string, ListenerDropReason>();
    const { url } = await startStream<number>({
      snapshot: () => null,
      pingIntervalMs: 20,
      pongTimeoutMs: 200,
      onDrop: recorder.onDrop,
    });
    const deaf = new Listener(url, { autoPong: false });
    await deaf.untilMessages(1);
    const reason = await recorder.next();
    expect(reason.code).toBe('pong-timeout');
    expect(reason.message).toBe(
      `${deaf.serverName} left a ping unanswered for 200 ms (it stopped reading) and was dropped`,
    );
    expect(deaf.pings).toBeGreaterThanOrEqual(1);
    expect((await deaf.closed).code).toBe(1006);
  });
});

describe('why a listener left', () => {
  it('reports a listener that disconnects, one the source drops, and those the server closes', async () => {
    const recorder = dropRecorder<string, ListenerDropReason>();
    const { server, url } = await startStream<number>({
      snapshot: () => null,
      onDrop: recorder.onDrop,
    });
    const leaving = new Listener(url);
    const staying = new Listener(url);
    await Promise.all([leaving.untilMessages(1), staying.untilMessages(1)]);
    const name = leaving.serverName;
    leaving.ws.close();
    expect(await recorder.next()).toEqual({
      code: 'disconnected',
      message: `${name} disconnected`,
    });
    expect(recorder.who).toEqual([name]);
    expect(server.listenerCount).toBe(1);

    await server.close();
    expect(recorder.drops.map((r) => r.code)).toEqual(['disconnected', 'server-closed']);
    expect((await staying.closed).code).toBe(1001);

    const late = await startStream<number>({ snapshot: () => null, onDrop: recorder.onDrop });
    late.broadcaster.close();
    const refused = new Listener(late.url);
    expect((await refused.closed).code).toBe(1001);
    expect(recorder.drops.at(-1)).toEqual({
      code: 'broadcaster-closed',
      message: 'the broadcaster was closed',
    });
  });
});

describe('the source', () => {
  it('is anything with subscribe(sink, options): each listener subscribes with its name and the stream’s options', async () => {
    const broadcaster = new Broadcaster<string>();
    const subscribed: (SubscriptionOptions<string> | undefined)[] = [];
    const stream = new EventStreamServer<string>({
      source: {
        subscribe: (sink, options) => {
          subscribed.push(options);
          return broadcaster.subscribe(sink, options);
        },
      },
      snapshot: () => 'from the source',
      sendTimeoutMs: 750,
      queueLimit: 10,
    });
    onStop(() => stream.close());
    const { url } = await stream.listen(0, '127.0.0.1');
    const client = new Listener(url);
    await client.untilMessages(1);
    broadcaster.publish('event');
    await client.untilMessages(2);
    expect(client.messages).toEqual([{ type: 'snapshot', data: 'from the source' }, 'event']);
    expect(subscribed).toEqual([{ name: client.serverName, sendTimeoutMs: 750, queueLimit: 10 }]);
  });

  it('refuses timer options it cannot honour', () => {
    const source = new Broadcaster<string>();
    const make = (options: { pingIntervalMs?: number; pongTimeoutMs?: number }) =>
      new EventStreamServer<string>({ source, snapshot: () => null, ...options });
    for (const bad of [0, -1, Number.NaN, 2 ** 31]) {
      expect(() => make({ pingIntervalMs: bad })).toThrow(RangeError);
      expect(() => make({ pongTimeoutMs: bad })).toThrow(RangeError);
    }
    expect(() => make({ pingIntervalMs: 1_000, pongTimeoutMs: 3_000 })).not.toThrow();
  });
});

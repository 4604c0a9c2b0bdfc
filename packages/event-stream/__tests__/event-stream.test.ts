import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { Broadcaster, type DropReason, type Subscription } from '@comfyrelay/core';
import { EventStreamServer } from '../src/index.js';
import { dropRecorder } from './helpers/dropRecorder.js';
import { Listener, terminateListeners } from './helpers/Listener.js';
import { onStop, range, startStream, stopStreams } from './helpers/startStream.js';

afterEach(async () => {
  terminateListeners();
  await stopStreams();
});

describe('EventStreamServer', () => {
  it('a passive listener gets the snapshot, then every event, and stays connected across pings', async () => {
    const { broadcaster, server, url } = await startStream<{ n: number }>({
      snapshot: () => ({ jobs: 3 }),
      pingIntervalMs: 50,
      pongTimeoutMs: 2_000, // a deadline a busy test machine cannot miss by accident
    });
    const client = new Listener(url);
    await client.untilMessages(1);
    expect(client.messages[0]).toEqual({ type: 'snapshot', data: { jobs: 3 } });
    expect(server.listenerCount).toBe(1);

    broadcaster.publish({ n: 1 });
    await client.untilMessages(2);
    // Several ping intervals pass with the client never sending a message of its own.
    await client.until(() => client.pings >= 5);
    broadcaster.publish({ n: 2 });
    broadcaster.publish({ n: 3 });
    await client.untilMessages(4);
    expect(client.updates).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(server.listenerCount).toBe(1);
  });

  it('terminates a peer that stops answering pings', async () => {
    const recorder = dropRecorder<Subscription, DropReason>();
    const { server, url } = await startStream<number>({
      snapshot: () => null,
      pingIntervalMs: 50,
      broadcasterOptions: { onDrop: recorder.onDrop },
    });
    const deaf = new Listener(url, { autoPong: false });
    await deaf.untilMessages(1);
    const { code } = await deaf.closed;
    expect(code).toBe(1006); // terminated, no closing handshake
    expect(deaf.pings).toBeGreaterThanOrEqual(1);
    await (recorder.drops.length > 0 ? Promise.resolve() : recorder.next());
    expect(server.listenerCount).toBe(0);
  });

  it('drops a listener that stops reading while the others receive every event', async () => {
    let published = 0;
    let publishedAtDrop = -1;
    let resolveDropped: (reason: DropReason) => void = () => undefined;
    const dropped = new Promise<DropReason>((resolve) => (resolveDropped = resolve));
    const onDrop = (reason: DropReason): void => {
      publishedAtDrop = published;
      resolveDropped(reason);
    };
    const { broadcaster, server, url } = await startStream<{ i: number; pad: string }>({
      snapshot: () => 'hello',
      sendTimeoutMs: 1000,
      queueLimit: 1_000_000, // so it is the send timeout, not the queue, that catches it
      pingIntervalMs: 600_000, // and not the pings either
      broadcasterOptions: { onDrop: (_, reason) => onDrop(reason) },
    });
    // Connected first, so a broadcaster that awaited each send in turn would starve the rest.
    const stalled = new Listener(url);
    await stalled.untilMessages(1);
    stalled.ws.pause();
    const fast = [new Listener(url), new Listener(url)];
    await Promise.all(fast.map((l) => l.untilMessages(1)));

    const pad = 'x'.repeat(512 * 1024);
    // Large events fill the kernel buffers of the stalled socket until its send hangs; each
    // event is published once the fast listeners have received the previous one.
    while (publishedAtDrop < 0 && published < 2000) {
      broadcaster.publish({ i: published++, pad });
      await Promise.all(fast.map((l) => l.untilMessages(published + 1)));
    }
    const reason = await dropped;
    expect(reason.code).toBe('send-timeout');
    expect(server.listenerCount).toBe(2);

    broadcaster.publish({ i: published++, pad: '' });
    await Promise.all(fast.map((l) => l.untilMessages(published + 1)));
    for (const l of fast) {
      expect(l.updates.map((m) => (m as { i: number }).i)).toEqual(range(published));
      expect(l.ws.readyState).toBe(WebSocket.OPEN);
    }
    // Once it reads again, it finds the connection closed by the server...
    stalled.ws.resume();
    const { code } = await stalled.closed;
    expect([1013, 1006]).toContain(code);
    // ...and the fast listeners went on receiving while its send hung: events were published
    // (each only after the fast ones had the previous) that the stalled one never got.
    expect(publishedAtDrop - stalled.updates.length).toBeGreaterThanOrEqual(3);
  });

  it('a listener that stops reading small events is caught by the missing pongs', async () => {
    const recorder = dropRecorder<Subscription, DropReason>();
    const { broadcaster, url } = await startStream<number>({
      snapshot: () => 0,
      pingIntervalMs: 50,
      broadcasterOptions: { onDrop: recorder.onDrop },
    });
    const stalled = new Listener(url);
    const fast = new Listener(url);
    await Promise.all([stalled.untilMessages(1), fast.untilMessages(1)]);
    stalled.ws.pause();
    const dropped = recorder.next();
    let n = 0;
    let isDropped = false;
    void dropped.then(() => (isDropped = true));
    while (!isDropped) {
      broadcaster.publish(n++);
      await fast.untilMessages(n + 1);
    }
    // Its socket was terminated: the hung write fails or the close unsubscribes it first.
    expect(['send-failed', 'unsubscribed']).toContain((await dropped).code);
    broadcaster.publish(n++);
    await fast.untilMessages(n + 1);
    expect(fast.updates).toEqual(range(n));
  });

  it('50 listeners all receive all events in order', async () => {
    const { broadcaster, server, url } = await startStream<{ seq: number }>({
      snapshot: () => 'start',
    });
    const clients = range(50).map(() => new Listener(url));
    await Promise.all(clients.map((c) => c.untilMessages(1)));
    expect(server.listenerCount).toBe(50);
    for (const seq of range(200)) broadcaster.publish({ seq });
    await Promise.all(clients.map((c) => c.untilMessages(201)));
    for (const c of clients) {
      expect(c.messages[0]).toEqual({ type: 'snapshot', data: 'start' });
      expect(c.updates).toEqual(range(200).map((seq) => ({ seq })));
    }
  });

  it('sends the snapshot, then exactly the events published after it, while publishing goes on', async () => {
    let last = 0;
    const { broadcaster, url } = await startStream<number>({ snapshot: () => ({ last }) });
    let running = true;
    const publisher = (async () => {
      while (running) {
        broadcaster.publish(++last);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      const clients = range(5).map(() => new Listener(url));
      await Promise.all(clients.map((c) => c.untilMessages(21)));
      for (const c of clients) {
        const snapshot = c.messages[0] as { type: string; data: { last: number } };
        expect(snapshot.type).toBe('snapshot');
        const from = snapshot.data.last;
        expect(c.updates.slice(0, 20)).toEqual(range(20).map((i) => from + 1 + i));
      }
    } finally {
      running = false;
      await publisher;
    }
  });

  it('ignores what a listener sends', async () => {
    const { broadcaster, url } = await startStream<string>({ snapshot: () => null });
    const chatty = new Listener(url);
    await chatty.untilMessages(1);
    chatty.ws.send('hello?');
    chatty.ws.send(Buffer.from([1, 2, 3]));
    chatty.ws.send(JSON.stringify({ type: 'subscribe' }));
    broadcaster.publish('one');
    await chatty.untilMessages(2);
    expect(chatty.updates).toEqual(['one']);
    expect(chatty.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('attaches to an existing HTTP server, leaving its other upgrade paths alone', async () => {
    const http: Server = createServer((_, res) => res.end('ok'));
    // Another endpoint on the same server, routed by hand as ws requires when sharing one.
    const other = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      if (req.url === '/other')
        other.handleUpgrade(req, socket, head, (ws) => other.emit('connection', ws));
    });
    const broadcaster = new Broadcaster<string>();
    const stream = new EventStreamServer<string>({
      source: broadcaster,
      snapshot: () => 'snap',
      path: '/live',
    });
    stream.attach(http);
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    onStop(() => new Promise<void>((resolve) => http.close(() => resolve())));
    onStop(() => new Promise<void>((resolve) => other.close(() => resolve())));
    onStop(() => stream.close());
    const { port } = http.address() as AddressInfo;
    other.on('connection', (ws) => ws.send(JSON.stringify('from other')));

    const live = new Listener(`ws://127.0.0.1:${port}/live?token=abc`);
    const elsewhere = new Listener(`ws://127.0.0.1:${port}/other`);
    await Promise.all([live.untilMessages(1), elsewhere.untilMessages(1)]);
    expect(live.messages).toEqual([{ type: 'snapshot', data: 'snap' }]);
    expect(elsewhere.messages).toEqual(['from other']);
    broadcaster.publish('update');
    await live.untilMessages(2);
    expect(live.updates).toEqual(['update']);
    expect(stream.listenerCount).toBe(1);
  });

  it('close() closes every listener with 1001 and unsubscribes them', async () => {
    const { broadcaster, server, url } = await startStream<number>({ snapshot: () => null });
    const clients = range(3).map(() => new Listener(url));
    await Promise.all(clients.map((c) => c.untilMessages(1)));
    expect(broadcaster.size).toBe(3);
    await server.close();
    const results = await Promise.all(clients.map((c) => c.closed));
    expect(results.map((r) => r.code)).toEqual([1001, 1001, 1001]);
    expect(server.listenerCount).toBe(0);
    expect(broadcaster.size).toBe(0);
    const late = new Listener(url);
    await late.closed; // the port is no longer served
  });

  it('close() first sends each listener what was already published (a graceful stop loses no last event)', async () => {
    const { broadcaster, server, url } = await startStream<number>({ snapshot: () => null });
    const clients = range(3).map(() => new Listener(url));
    await Promise.all(clients.map((c) => c.untilMessages(1)));
    // Published, then closed at once: the sends are still queued or in flight.
    for (const n of range(200)) broadcaster.publish(n);
    await server.close();
    const results = await Promise.all(clients.map((c) => c.closed));
    expect(results.map((r) => r.code)).toEqual([1001, 1001, 1001]);
    for (const client of clients) expect(client.updates).toEqual(range(200));
  });

  it('closing the broadcaster closes the listeners with 1001 and its reason', async () => {
    const { broadcaster, server, url } = await startStream<number>({ snapshot: () => null });
    const client = new Listener(url);
    await client.untilMessages(1);
    broadcaster.close();
    const { code, reason } = await client.closed;
    expect(code).toBe(1001);
    expect(reason).toBe('the broadcaster was closed');
    expect(server.listenerCount).toBe(0);

    const late = new Listener(url);
    expect(await late.closed).toEqual({ code: 1001, reason: 'the broadcaster was closed' });
    expect(late.messages).toEqual([{ type: 'snapshot', data: null }]);
    expect(server.listenerCount).toBe(0);
  });

  it('closes a connection with 1011 when the snapshot cannot be built, and keeps serving others', async () => {
    let fail = true;
    const { broadcaster, server, url } = await startStream<number>({
      snapshot: () => {
        if (fail) throw new Error('state unavailable');
        return 'ok';
      },
    });
    const first = new Listener(url);
    expect((await first.closed).code).toBe(1011);
    expect(first.messages).toEqual([]);
    expect(broadcaster.size).toBe(0);
    fail = false;
    const second = new Listener(url);
    await second.untilMessages(1);
    expect(server.listenerCount).toBe(1);
  });

  it('answers plain HTTP and other paths without upgrading', async () => {
    const { url } = await startStream<number>({ snapshot: () => null });
    const http = url.replace('ws://', 'http://');
    expect((await fetch(http)).status).toBe(426);
    expect((await fetch(http.replace('/events', '/nope'))).status).toBe(404);
    const wrongPath = new Listener(url.replace('/events', '/nope'));
    const { code } = await wrongPath.closed;
    expect(code).toBe(1006);
  });
});

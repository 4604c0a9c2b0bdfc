import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FaultProxy } from '../src/index.js';
import {
  closeCode,
  connectRaw,
  connectionErrorCode,
  httpRequest,
  openWebSocket,
  readUntil,
  ReconnectingClient,
  roundTrip,
  socketClosed,
  webSocketHandshake,
} from './helpers/clients.js';
import { EchoServer } from './helpers/echo-server.js';

let server: EchoServer;
let proxy: FaultProxy;

beforeEach(async () => {
  server = await EchoServer.start();
  proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: server.port } });
});

afterEach(async () => {
  await proxy.stop();
  await server.close();
});

async function openProxiedWebSocket(path = '/ws') {
  const accepted = server.nextWebSocket();
  const connected = proxy.nextEvent('connection', ({ kind }) => kind === 'websocket');
  const client = await openWebSocket(`${proxy.url}${path}`);
  const { socket: serverSide } = await accepted;
  const { id } = await connected;
  return { id, client, serverSide };
}

describe('FaultProxy: transparent forwarding', () => {
  it('passes HTTP requests and responses through unchanged', async () => {
    const connected = proxy.nextEvent('connection');
    const hello = await httpRequest(`${proxy.url}/hello`);
    expect(hello.status).toBe(200);
    expect(hello.body.toString()).toBe('hello');
    expect((await connected).kind).toBe('http');

    const payload = randomBytes(256 * 1024);
    const echoed = await httpRequest(`${proxy.url}/echo`, { method: 'POST', body: payload });
    expect(echoed.body.equals(payload)).toBe(true);
  });

  it('passes WebSocket messages both ways, and a normal close', async () => {
    const { id, client, serverSide } = await openProxiedWebSocket();
    expect(await roundTrip(client, 'from the client')).toBe('from the client');

    const pushed = once(client, 'message');
    serverSide.send('from the server');
    expect(String((await pushed)[0])).toBe('from the server');

    const clientClosed = closeCode(client);
    const proxyClientClosed = proxy.nextEvent('client-close', (event) => event.id === id);
    const upstreamClosed = proxy.nextEvent('upstream-close', (event) => event.id === id);
    serverSide.close(1000, 'bye');
    expect(await clientClosed).toBe(1000);
    expect(await proxyClientClosed).toEqual({ id, kind: 'websocket' });
    expect((await upstreamClosed).kind).toBe('websocket');
  });

  it('tells HTTP, WebSocket and other connections apart', async () => {
    let connected = proxy.nextEvent('connection');
    await httpRequest(`${proxy.url}/hello`);
    expect((await connected).kind).toBe('http');

    connected = proxy.nextEvent('connection');
    await openWebSocket(proxy.url);
    expect((await connected).kind).toBe('websocket');

    connected = proxy.nextEvent('connection');
    const shouting = await connectRaw(proxy.port);
    shouting.write(webSocketHandshake('/', 'UPGRADE: WebSocket'));
    expect((await connected).kind).toBe('websocket');

    connected = proxy.nextEvent('connection');
    const notHttp = await connectRaw(proxy.port);
    notHttp.write('HELLO\r\n\r\n');
    expect((await connected).kind).toBe('unknown');

    const kinds = proxy.connections().map((connection) => connection.kind);
    expect(kinds).toEqual(expect.arrayContaining(['websocket', 'websocket', 'unknown']));
    expect(proxy.connections().every((connection) => !connection.halfOpen)).toBe(true);
  });

  it('passes an abrupt client reset on to the server without failing', async () => {
    const accepted = server.nextWebSocket();
    const raw = await connectRaw(proxy.port);
    raw.write(webSocketHandshake());
    const { socket: serverSide } = await accepted;

    const serverClosed = once(serverSide, 'close');
    const upstreamClosed = proxy.nextEvent('upstream-close');
    raw.resetAndDestroy();
    await serverClosed;
    expect((await upstreamClosed).reason).toBe('client');
  });

  it('passes an abrupt server close on to the client', async () => {
    const { id, client, serverSide } = await openProxiedWebSocket();
    const clientClosed = closeCode(client);
    const upstreamClosed = proxy.nextEvent('upstream-close', (event) => event.id === id);
    serverSide.terminate();
    expect(await clientClosed).toBe(1006);
    expect((await upstreamClosed).reason).toBe('server');
  });

  it('destroys the client when the server cannot be reached', async () => {
    const lonely = await FaultProxy.start({
      target: { host: '127.0.0.1', port: await portNobodyListensOn() },
    });
    try {
      const upstreamClosed = lonely.nextEvent('upstream-close');
      const clientClosed = lonely.nextEvent('client-close');
      const raw = await connectRaw(lonely.port);
      await socketClosed(raw);
      expect((await upstreamClosed).reason).toBe('unreachable');
      await clientClosed;
      expect(lonely.connections()).toEqual([]);
    } finally {
      await lonely.stop();
    }
  });
});

describe('FaultProxy: cuts', () => {
  it('cuts WebSockets only, closing the client and the server side at once', async () => {
    const { id, client, serverSide } = await openProxiedWebSocket();
    const keptAlive = await connectRaw(proxy.port);
    const firstResponse = readUntil(keptAlive, 'hello');
    keptAlive.write('GET /hello HTTP/1.1\r\nHost: x\r\n\r\n');
    await firstResponse;

    const cut = proxy.nextEvent('cut');
    const clientClosed = closeCode(client);
    const serverClosed = closeCode(serverSide);
    const upstreamClosed = proxy.nextEvent('upstream-close', (event) => event.id === id);
    expect(proxy.cutWebSockets()).toBe(1);

    expect(await cut).toEqual({ id, halfOpenMs: 0 });
    expect(await clientClosed).toBe(1006);
    expect(await serverClosed).toBe(1006);
    expect(await upstreamClosed).toEqual({ id, kind: 'websocket', reason: 'cut' });

    const secondResponse = readUntil(keptAlive, 'hello');
    keptAlive.write('GET /hello HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await secondResponse).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(proxy.cutWebSockets()).toBe(0);
  });

  it('cuts with a TCP RST by default', async () => {
    const connected = proxy.nextEvent('connection');
    const raw = await connectRaw(proxy.port);
    raw.write(webSocketHandshake());
    await connected;

    const failed = once(raw, 'error');
    proxy.cutWebSockets();
    const [error] = (await failed) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNRESET');
  });

  it("cuts with a FIN in 'end' mode", async () => {
    const connected = proxy.nextEvent('connection');
    const raw = await connectRaw(proxy.port);
    const errors: Error[] = [];
    raw.on('error', (error) => errors.push(error));
    raw.write(webSocketHandshake());
    await connected;

    const ended = once(raw, 'end');
    const closed = once(raw, 'close');
    proxy.cutWebSockets({ mode: 'end' });
    await ended;
    await closed;
    expect(errors).toEqual([]);
  });

  it('with halfOpenMs, the server keeps the stale socket until upstream-close, and a new one works meanwhile', async () => {
    const first = await openProxiedWebSocket('/ws?clientId=bot');
    const events: string[] = [];
    proxy.on('upstream-close', ({ id }) => {
      if (id === first.id) events.push('proxy: upstream-close');
    });
    const staleClosed = once(first.serverSide, 'close').then(() => {
      events.push('server: stale socket closed');
    });
    const upstreamClosed = proxy.nextEvent('upstream-close', ({ id }) => id === first.id);
    const firstClosed = closeCode(first.client);

    expect(proxy.cutWebSockets({ halfOpenMs: 1_500 })).toBe(1);
    expect(proxy.connections().find(({ id }) => id === first.id)?.halfOpen).toBe(true);
    expect(await firstClosed).toBe(1006);

    const second = await openProxiedWebSocket('/ws?clientId=bot');
    expect(await roundTrip(second.client, 'during half-open')).toBe('during half-open');
    expect(first.serverSide.readyState).toBe(WebSocket.OPEN);
    expect(server.registry.get('bot')).toBe(second.serverSide);

    expect((await upstreamClosed).reason).toBe('half-open-ended');
    await staleClosed;
    expect(events).toEqual(['proxy: upstream-close', 'server: stale socket closed']);
    // ComfyUI's trap, reproduced: the stale socket's late close unregistered the new one.
    expect(server.registry.has('bot')).toBe(false);
    expect(await roundTrip(second.client, 'still connected')).toBe('still connected');
  });

  it('cutWebSocketsAfter with times: 2 cuts twice, each time after a reconnect', async () => {
    const client = new ReconnectingClient(proxy.url);
    try {
      await client.nextOpen();
      const cutIds: number[] = [];
      const twoCuts = new Promise<void>((resolve) => {
        proxy.on('cut', ({ id }) => {
          cutIds.push(id);
          if (cutIds.length === 2) resolve();
        });
      });
      proxy.cutWebSocketsAfter(50, { times: 2 });
      await twoCuts;

      const leftAlone = await client.nextOpen();
      expect(await roundTrip(leftAlone, 'no more cuts')).toBe('no more cuts');
      expect(cutIds).toHaveLength(2);
      expect(cutIds[1]).toBeGreaterThan(cutIds[0] ?? Infinity);
    } finally {
      await client.stop();
    }
  });
});

describe('FaultProxy: refuse', () => {
  it('refuses new connections, keeps open ones, then accepts again on the same port', async () => {
    const { client } = await openProxiedWebSocket();
    const port = proxy.port;

    await proxy.refuse(true);
    expect(await connectionErrorCode(port)).toBe('ECONNREFUSED');
    expect(await roundTrip(client, 'still here')).toBe('still here');

    await proxy.refuse(false);
    expect(proxy.port).toBe(port);
    expect((await httpRequest(`${proxy.url}/hello`)).body.toString()).toBe('hello');
  });

  it('drops open connections too with dropExisting', async () => {
    const { client } = await openProxiedWebSocket();
    const clientClosed = closeCode(client);
    const upstreamClosed = proxy.nextEvent('upstream-close');

    await proxy.refuse(true, { dropExisting: true });
    expect(proxy.connections()).toEqual([]);
    expect(await clientClosed).toBe(1006);
    expect((await upstreamClosed).reason).toBe('dropped');
  });
});

describe('FaultProxy: slow', () => {
  it('delivers delayed, throttled traffic intact and in order', async () => {
    proxy.slow({ delayMs: 10, bytesPerSecond: 256 * 1024 });
    const { client, serverSide } = await openProxiedWebSocket();

    const sent = Array.from({ length: 40 }, (_, i) => `message ${i} ${'x'.repeat(i * 100)}`);
    const echoed = collectMessages(client, sent.length);
    for (const message of sent) client.send(message);
    expect(await echoed).toEqual(sent);

    const pushes = sent.map((message) => `pushed ${message}`);
    const pushed = collectMessages(client, pushes.length);
    for (const message of pushes) serverSide.send(message);
    expect(await pushed).toEqual(pushes);

    const payload = randomBytes(128 * 1024);
    const response = await httpRequest(`${proxy.url}/echo`, { method: 'POST', body: payload });
    expect(response.body.equals(payload)).toBe(true);

    proxy.pass();
    expect(await roundTrip(client, 'full speed')).toBe('full speed');
  });

  it('pass() also cancels scheduled cuts', async () => {
    const { client } = await openProxiedWebSocket();
    const cuts: number[] = [];
    proxy.on('cut', ({ id }) => cuts.push(id));
    const timersBefore = activeTimerCount();
    proxy.cutWebSocketsAfter(60_000);
    expect(activeTimerCount()).toBe(timersBefore + 1);

    proxy.pass();
    expect(activeTimerCount()).toBe(timersBefore);
    expect(await roundTrip(client, 'not cut')).toBe('not cut');
    expect(cuts).toEqual([]);
  });

  it('rejects nonsense settings', () => {
    expect(() => proxy.slow({ delayMs: -1 })).toThrow(RangeError);
    expect(() => proxy.slow({ bytesPerSecond: Number.NaN })).toThrow(RangeError);
  });
});

describe('FaultProxy: lifecycle', () => {
  it('stop closes every connection and leaves no timer behind', async () => {
    const timersBefore = activeTimerCount();
    const { client } = await openProxiedWebSocket();
    const partial = await connectRaw(proxy.port);
    partial.write('GET /hel');
    proxy.slow({ delayMs: 60_000 });
    partial.write('lo HTTP/1.1\r\n');
    proxy.cutWebSocketsAfter(60_000);
    const waiting = proxy.nextEvent('cut');

    const clientClosed = closeCode(client);
    const partialClosed = socketClosed(partial);
    await proxy.stop();

    await expect(waiting).rejects.toThrow('FaultProxy stopped while waiting for an event');
    expect(proxy.connections()).toEqual([]);
    expect(await clientClosed).toBe(1006);
    await partialClosed;
    await server.allTcpSocketsClosed();
    expect(server.openTcpSockets()).toBe(0);
    expect(await connectionErrorCode(proxy.port)).toBe('ECONNREFUSED');
    expect(activeTimerCount()).toBe(timersBefore);
  });

  it('nextEvent rejects with a clear message when nothing comes', async () => {
    await expect(proxy.nextEvent('cut', undefined, 20)).rejects.toThrow(
      "FaultProxy: no matching 'cut' event within 20 ms",
    );
  });
});

function collectMessages(socket: WebSocket, count: number): Promise<string[]> {
  const received: string[] = [];
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      received.push(data.toString());
      if (received.length < count) return;
      socket.off('message', onMessage);
      resolve(received);
    };
    socket.on('message', onMessage);
  });
}

function activeTimerCount(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

async function portNobodyListensOn(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

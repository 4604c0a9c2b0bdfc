import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/access/sessionCookie.js';
import { nonLoopbackAddress, type LocalAddress } from './helpers/nonLoopbackAddress.js';
import { httpRequest, openEventStream, type RequestOptions } from './helpers/peer.js';
import { startConsoleFixture, type ConsoleFixture } from './helpers/startConsoleFixture.js';

const TOKEN = 'correct horse battery staple';
const GUARDED = ['/', '/api/workflows', '/api/backends', '/api/generations', '/metrics'];

let remote: LocalAddress;
beforeAll(async () => {
  remote = await nonLoopbackAddress();
});
afterAll(async () => {
  await remote.release();
});

/** The console on every address, reached from loopback or from the machine's other address. */
function peers(fixture: ConsoleFixture) {
  const port = fixture.console.port;
  const loopback = {
    base: `http://127.0.0.1:${port}`,
    events: `ws://127.0.0.1:${port}/events`,
    get: (path: string, options: RequestOptions = {}) =>
      httpRequest(`http://127.0.0.1:${port}${path}`, options),
    open: (headers: Record<string, string> = {}) =>
      openEventStream(`ws://127.0.0.1:${port}/events`, { headers }),
  };
  const fromRemote = {
    base: `http://${remote.address}:${port}`,
    get: (path: string, options: RequestOptions = {}) =>
      httpRequest(`http://${remote.address}:${port}${path}`, {
        ...options,
        localAddress: remote.address,
      }),
    open: (headers: Record<string, string> = {}) =>
      openEventStream(`ws://${remote.address}:${port}/events`, {
        headers,
        localAddress: remote.address,
      }),
  };
  return { loopback, remote: fromRemote };
}

describe('without an access token the console answers only loopback peers', () => {
  let fixture: ConsoleFixture;
  beforeAll(async () => {
    fixture = await startConsoleFixture({ host: '0.0.0.0' });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('answers the page, the API, /metrics and the event stream on loopback', async () => {
    const { loopback } = peers(fixture);
    for (const path of GUARDED) expect((await loopback.get(path)).status, path).toBe(200);
    const page = await loopback.get('/');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const stream = await loopback.open();
    expect(stream.opened && stream.snapshot.type).toBe('snapshot');
    if (stream.opened) stream.ws.close();
    expect((await loopback.get('/events')).status).toBe(426);
  });

  it(`refuses a peer on a non-loopback address over HTTP and at the WebSocket upgrade`, async () => {
    const { remote: peer } = peers(fixture);
    for (const path of GUARDED) {
      const answer = await peer.get(path);
      expect(answer.status, path).toBe(403);
      expect(answer.text).toContain('only on loopback');
      expect(answer.text).toContain(remote.address);
    }
    // Headers are the client's word; only the TCP peer's address counts.
    const spoofed = await peer.get('/api/workflows', {
      headers: { 'X-Forwarded-For': '127.0.0.1', 'X-Real-IP': '127.0.0.1', Host: '127.0.0.1' },
    });
    expect(spoofed.status).toBe(403);
    expect(await peer.open()).toEqual({ opened: false, status: 403 });
    expect(await peer.open({ 'X-Forwarded-For': '127.0.0.1' })).toEqual({
      opened: false,
      status: 403,
    });
  });

  it('still answers health probes from anywhere', async () => {
    const { remote: peer } = peers(fixture);
    expect((await peer.get('/healthz')).json()).toEqual({ status: 'up' });
    expect((await peer.get('/readyz')).status).toBe(200);
  });

  it('refuses a loopback request made for another site (DNS rebinding, cross-site posts)', async () => {
    const { loopback } = peers(fixture);
    const rebound = await loopback.get('/api/workflows', {
      headers: { Host: `attacker.example:${fixture.console.port}` },
    });
    expect(rebound.status).toBe(403);
    expect((await loopback.get('/', { headers: { Host: 'localhost' } })).status).toBe(200);
    const crossSite = await loopback.get('/api/generations', {
      method: 'POST',
      headers: { Origin: 'http://attacker.example', 'Content-Type': 'text/plain' },
      body: JSON.stringify({ workflow: 'image.txt2img', values: { prompt: 'x' } }),
    });
    expect(crossSite.status).toBe(403);
    expect(await loopback.open({ Origin: 'http://attacker.example' })).toEqual({
      opened: false,
      status: 403,
    });
    expect(fixture.relay.active()).toEqual([]);
  });
});

describe('with an access token nothing answers without it, from anywhere', () => {
  let fixture: ConsoleFixture;
  beforeAll(async () => {
    fixture = await startConsoleFixture({ host: '0.0.0.0', accessToken: TOKEN });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('refuses requests without the token on loopback and from a remote peer, HTTP and WebSocket', async () => {
    for (const [where, peer] of Object.entries(peers(fixture))) {
      for (const path of GUARDED) {
        const answer = await peer.get(path);
        expect(answer.status, `${where} ${path}`).toBe(401);
        expect(answer.headers['www-authenticate']).toContain('Bearer');
      }
      const page = await peer.get('/', { headers: { Accept: 'text/html' } });
      expect(page.status).toBe(303);
      expect(page.headers['location']).toBe('/login?next=%2F');
      expect((await peer.get('/api/workflows')).json()).toMatchObject({ error: 'unauthorized' });
      expect(await peer.open(), where).toEqual({ opened: false, status: 401 });
      const wrong = { Authorization: 'Bearer not-the-token' };
      expect((await peer.get('/api/workflows', { headers: wrong })).status).toBe(401);
      expect(await peer.open(wrong)).toEqual({ opened: false, status: 401 });
      expect((await peer.get('/healthz')).status).toBe(200);
    }
  });

  it('answers a bearer token from a remote peer and from loopback, HTTP and WebSocket', async () => {
    const bearer = { Authorization: `Bearer ${TOKEN}` };
    for (const [where, peer] of Object.entries(peers(fixture))) {
      for (const path of GUARDED)
        expect((await peer.get(path, { headers: bearer })).status, `${where} ${path}`).toBe(200);
      const stream = await peer.open(bearer);
      expect(stream.opened && stream.snapshot.type, where).toBe('snapshot');
      if (stream.opened) stream.ws.close();
    }
  });

  it('logs in with the form: a session cookie (not the token) opens the API and the event stream', async () => {
    const { remote: peer } = peers(fixture);
    const form = await peer.get('/login');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<label for="token">Access token</label>');

    const login = (token: string, next = '/') =>
      peer.get('/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, next }).toString(),
      });
    const refused = await login('guess');
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('That access token is not the right one.');
    expect(refused.headers['set-cookie']).toBeUndefined();

    const accepted = await login(TOKEN, '/#history');
    expect(accepted.status).toBe(303);
    expect(accepted.headers['location']).toBe('/#history');
    const setCookie = String(accepted.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(encodeURIComponent(TOKEN));
    const cookie = setCookie.split(';')[0] ?? '';
    expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);

    expect((await peer.get('/api/workflows', { headers: { Cookie: cookie } })).status).toBe(200);
    const stream = await peer.open({ Cookie: cookie });
    expect(stream.opened && stream.snapshot.type).toBe('snapshot');
    if (stream.opened) stream.ws.close();
    const forged = { Cookie: `${SESSION_COOKIE}=${encodeURIComponent(TOKEN)}` };
    expect((await peer.get('/api/workflows', { headers: forged })).status).toBe(401);

    expect((await login(TOKEN, '//attacker.example/')).headers['location']).toBe('/');
    const logout = await peer.get('/logout', { method: 'POST', headers: { Cookie: cookie } });
    expect(String(logout.headers['set-cookie'])).toContain('Max-Age=0');
  });
});

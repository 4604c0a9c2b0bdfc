import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { ComfySimulator } from '../src/index.js';
import { getJson, postJson, queuePrompt } from './helpers/http.js';
import { useSimulators } from './helpers/simulator.js';
import { TestSocket } from './helpers/test-socket.js';
import { progressSave } from './helpers/workflows.js';

const startSimulator = useSimulators();

/** Resolves with the HTTP status of a refused upgrade, or 'error' for a dead connection. */
function tryUpgrade(sim: ComfySimulator): Promise<number | 'open' | 'error'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${sim.url.replace(/^http/, 'ws')}/ws?clientId=probe`);
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve('error'));
  });
}

describe('faults', () => {
  it('refuseConnections: HTTP and upgrades die until switched off', async () => {
    const sim = await startSimulator();
    expect((await getJson(sim, '/queue')).status).toBe(200);
    sim.faults.refuseConnections(true);
    await expect(fetch(`${sim.url}/queue`)).rejects.toThrow();
    await expect(fetch(`${sim.url}/prompt`, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(await tryUpgrade(sim)).toBe('error');
    sim.faults.refuseConnections(false);
    expect((await getJson(sim, '/queue')).status).toBe(200);
    expect(await tryUpgrade(sim)).toBe('open');
  });

  it('rejectUpgrades answers the upgrade with the given status, HTTP keeps working', async () => {
    const sim = await startSimulator();
    sim.faults.rejectUpgrades(403);
    expect(await tryUpgrade(sim)).toBe(403);
    expect((await getJson(sim, '/prompt')).status).toBe(200);
    sim.faults.rejectUpgrades(null);
    expect(await tryUpgrade(sim)).toBe('open');
  });

  it('dropSockets kills every socket without a close frame', async () => {
    const sim = await startSimulator();
    const a = await TestSocket.open(sim, { clientId: 'a' });
    const b = await TestSocket.open(sim, { clientId: 'b' });
    const serverSideClosed = Promise.all(
      ['a', 'b'].map((id) => sim.nextEvent('ws-close', (e) => e.clientId === id)),
    );
    sim.faults.dropSockets();
    expect(await a.waitForClose()).toBe(1006);
    expect(await b.waitForClose()).toBe(1006);
    await serverSideClosed;
    expect(sim.connectedClientIds()).toEqual([]);
  });

  it('delayHttp delays matching routes only, with or without /api', async () => {
    const sim = await startSimulator();
    sim.faults.delayHttp('/queue', 150);
    sim.faults.delayHttp(/^\/history/, 150);
    const timed = async (path: string): Promise<number> => {
      const started = performance.now();
      await getJson(sim, path);
      return performance.now() - started;
    };
    expect(await timed('/queue')).toBeGreaterThanOrEqual(140);
    expect(await timed('/api/history/x')).toBeGreaterThanOrEqual(140);
    expect(await timed('/prompt')).toBeLessThan(140);
  });

  it('failHttp answers with the status and body; nothing is queued; clear() restores', async () => {
    const sim = await startSimulator();
    const seen: string[] = [];
    sim.on('http', (e) => seen.push(`${e.method} ${e.path} ${e.status}`));
    sim.faults.failHttp('/prompt', 503, 'busy');
    const failed = await postJson(sim, '/api/prompt', { prompt: progressSave(1, 1) });
    expect(failed).toMatchObject({ status: 503, text: 'busy' });
    expect(sim.queueSnapshot()).toEqual({ running: [], pending: [] });
    sim.faults.failHttp(/^\/history/, 500);
    expect((await getJson(sim, '/history')).text).toBe('500: Internal Server Error');
    expect(seen).toEqual(['POST /api/prompt 503', 'GET /history 500']);

    sim.faults.clear();
    const end = sim.nextEvent('execution-end');
    await queuePrompt(sim, { prompt: progressSave(1, 1) });
    await end;
    expect((await getJson(sim, '/history')).status).toBe(200);
  });

  it('delayHttp and failHttp on /ws apply to upgrades', async () => {
    const sim = await startSimulator();
    sim.faults.failHttp('/ws', 502);
    expect(await tryUpgrade(sim)).toBe(502);
    sim.faults.clear();
    sim.faults.delayHttp('/ws', 100);
    const started = performance.now();
    expect(await tryUpgrade(sim)).toBe('open');
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });
});

import { randomUUID } from 'node:crypto';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type BackendStatus } from '../src/index.js';
import { testIO } from './helpers/capture.js';
import { closedPort } from './helpers/net.js';

let sim: ComfySimulator;

beforeAll(async () => {
  // Slow steps: the first prompt is still running while status looks at the queue.
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: 1_000 });
});

afterAll(async () => {
  await sim?.stop();
});

async function enqueue(): Promise<string> {
  const promptId = randomUUID();
  const response = await fetch(`${sim.url}/prompt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: 'status-test',
      prompt_id: promptId,
      prompt: {
        '1': {
          class_type: 'TestProgressNode',
          inputs: { seed: Math.floor(Math.random() * 1e9), steps: 30, width: 8, height: 8 },
        },
        '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'status' } },
      },
    }),
  });
  expect(response.status).toBe(200);
  return promptId;
}

describe('comfyrelay status', () => {
  it('shows health and the queue in run order (--json)', async () => {
    const ids = [await enqueue(), await enqueue(), await enqueue()];
    const io = testIO();
    const code = await main(['status', '--comfy', sim.url, '--json'], io);
    expect(code).toBe(0);
    const [report, ...more] = io.stdout.lines().map((line) => JSON.parse(line) as BackendStatus);
    expect(more).toEqual([]);
    expect(report).toMatchObject({ url: sim.url, reachable: true, devices: expect.any(Array) });
    if (!report?.reachable) throw new Error('unreachable');
    expect(typeof report.version).toBe('string');
    expect([...report.queue.running, ...report.queue.pending]).toEqual(ids);
    expect(report.queue.pending.length).toBeGreaterThanOrEqual(2);
  });

  it('prints the same for people', async () => {
    const io = testIO({ env: { COMFYUI_URL: sim.url } });
    expect(await main(['status'], io)).toBe(0);
    expect(io.stdout.text).toContain(`ComfyUI at ${sim.url}: reachable`);
    expect(io.stdout.text).toMatch(/queue +\d+ running, \d+ pending/);
    expect(io.stdout.text).toMatch(/pending +1 [0-9a-f-]{36}/);
  });

  it('exits 1 with a readable message when nothing listens there', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const io = testIO();
    expect(await main(['status', '--comfy', url, '--json'], io)).toBe(1);
    expect(JSON.parse(io.stdout.text)).toMatchObject({
      url,
      reachable: false,
      error: expect.stringContaining('connection refused'),
    });
    expect(io.stderr.text).toContain(`cannot reach ComfyUI at ${url}: connection refused`);
  });
});

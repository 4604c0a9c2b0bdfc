import { ParameterError } from '@comfyrelay/core';
import { isPng } from '@comfyrelay/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startConsoleFixture, type ConsoleFixture } from './helpers/startConsoleFixture.js';

interface ApiRecord {
  id: string;
  status: string;
  workflow?: string;
  origin?: { platform?: string; displayName?: string };
  parameters?: Record<string, unknown>;
  parentId?: string;
  action?: string;
  outputs?: unknown[];
}

describe('the console API', () => {
  let fixture: ConsoleFixture;
  afterEach(async () => {
    await fixture.close();
  });

  const api = (path: string, init?: RequestInit) => fetch(`${fixture.base}${path}`, init);
  const post = (body: unknown) =>
    api('/api/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('lists every workflow with its parameter schema and the live choices of the servers', async () => {
    fixture = await startConsoleFixture();
    const answer = await api('/api/workflows');
    expect(answer.status).toBe(200);
    const { workflows } = (await answer.json()) as {
      workflows: { id: string; parameters: Record<string, unknown>[] }[];
    };
    expect(workflows.map((w) => w.id)).toEqual(fixture.relay.workflows().map((w) => w.id));
    const txt2img = workflows.find((w) => w.id === 'image.txt2img');
    const parameter = (name: string) => txt2img?.parameters.find((p) => p['name'] === name);
    expect(parameter('prompt')).toMatchObject({ type: 'string', required: true });
    expect(parameter('steps')).toMatchObject({ type: 'integer', min: 1, max: 100, default: 20 });
    expect(parameter('checkpoint')).toMatchObject({
      type: 'choice',
      liveChoices: true,
      choices: await fixture.relay.choicesFor('image.txt2img', 'checkpoint'),
    });
    expect(parameter('checkpoint')).not.toHaveProperty('bind');

    const one = await api('/api/workflows/image.txt2img');
    expect(((await one.json()) as { workflow: { id: string } }).workflow.id).toBe('image.txt2img');
    expect((await api('/api/workflows/nope')).status).toBe(404);
  });

  it('runs a generation from the form on behalf of the console and serves its output', async () => {
    fixture = await startConsoleFixture({ operatorName: 'Ops' });
    const answer = await post({
      workflow: 'image.txt2img',
      values: { prompt: 'a lighthouse', steps: '3', width: '64', height: '64' },
    });
    expect(answer.status).toBe(202);
    const { generation } = (await answer.json()) as { generation: ApiRecord };
    expect(generation.origin).toMatchObject({ platform: 'console', displayName: 'Ops' });
    expect(generation.parameters).toMatchObject({ prompt: 'a lighthouse', steps: 3 });

    const done = await fixture.relay.handle(generation.id)?.done;
    expect(done?.status).toBe('succeeded');
    const record = (await (await api(`/api/generations/${generation.id}`)).json()) as {
      generation: ApiRecord;
    };
    expect(record.generation).toMatchObject({ status: 'succeeded', outputs: [expect.anything()] });
    const image = await api(`/api/generations/${generation.id}/outputs/0`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(isPng(Buffer.from(await image.arrayBuffer()))).toBe(true);
    expect((await api(`/api/generations/${generation.id}/outputs/7`)).status).toBe(404);
    expect((await api('/api/generations/nope')).status).toBe(404);
  });

  it('refuses bad values with the same problems, in words and per parameter, as the bots get', async () => {
    fixture = await startConsoleFixture();
    const values = { prompt: '', steps: 'lots', checkpoint: 'nope.safetensors', colour: 'red' };
    const answer = await post({ workflow: 'image.txt2img', values });
    expect(answer.status).toBe(422);
    const body = (await answer.json()) as { error: string; problems: unknown[] };
    const expected = await fixture.relay.validate('image.txt2img', values).catch((e: unknown) => e);
    expect(expected).toBeInstanceOf(ParameterError);
    expect(body.error).toBe('invalid-parameters');
    expect(body.problems).toEqual((expected as ParameterError).problems);
    expect(body.problems.map((p) => (p as { parameter: string }).parameter).sort()).toEqual([
      'checkpoint',
      'colour',
      'prompt',
      'steps',
    ]);
    expect(JSON.stringify(body)).toContain('steps must be a number, not \\"lots\\"');

    expect((await post({ workflow: 'image.nope', values: {} })).status).toBe(404);
    expect((await post({ values: {} })).status).toBe(400);
    const notJson = await api('/api/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toBe(
      'The request body is not JSON.',
    );
    expect(fixture.relay.active()).toEqual([]);
  });

  it('cancels a waiting generation; an unknown one is a 404', async () => {
    fixture = await startConsoleFixture();
    fixture.sim.holdExecution();
    const handle = await fixture.relay.generate('image.txt2img', { prompt: 'held' });
    const answer = await api(`/api/generations/${handle.id}`, { method: 'DELETE' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      cancelled: true,
      generation: { id: handle.id, status: 'cancelled' },
    });
    expect((await api('/api/generations/nope', { method: 'DELETE' })).status).toBe(404);
    fixture.sim.releaseExecution();
  });

  it('pages through history, newest first, with parameters and lineage', async () => {
    fixture = await startConsoleFixture();
    const first = await fixture.generate('image.txt2img', { prompt: 'parent', steps: 2 });
    const parent = await first.done;
    const reroll = await fixture.runAction(parent, 'reroll');
    await reroll.done;

    const page = (await (await api('/api/generations?finished=true&limit=1')).json()) as {
      generations: ApiRecord[];
      before: number | null;
    };
    expect(page.generations).toHaveLength(1);
    expect(page.generations[0]).toMatchObject({
      id: reroll.id,
      parentId: parent.id,
      action: 'reroll',
      parameters: { prompt: 'parent', steps: 2 },
    });
    expect(page.before).toEqual(expect.any(Number));
    const older = (await (
      await api(`/api/generations?finished=true&limit=1&before=${page.before}`)
    ).json()) as { generations: ApiRecord[] };
    expect(older.generations.map((g) => g.id)).toEqual([parent.id]);
  });

  it('answers 503 in words, with Retry-After, while comfyrelay drains for a graceful stop', async () => {
    fixture = await startConsoleFixture();
    fixture.sim.holdExecution();
    const running = await fixture.relay.generate('image.txt2img', { prompt: 'held', steps: 2 });
    // On ComfyUI's queue: the drain waits for it.
    await fixture.event(
      (event) => event.type === 'positions' && event.positions[running.id]?.position === 1,
    );
    const draining = fixture.relay.drain(600_000);
    const answer = await post({ workflow: 'image.txt2img', values: { prompt: 'too late' } });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('60');
    expect(await answer.json()).toEqual({
      error: 'shutting-down',
      message: expect.stringMatching(/shutting down; please try again in a minute/),
      retryAfterMs: 60_000,
    });
    // What was running when the drain began still finishes.
    fixture.sim.releaseExecution();
    expect(await draining).toBe(0);
    expect((await running.done).status).toBe('succeeded');
  });

  it('describes each backend: state, queue, version, models, reconnects and recent errors', async () => {
    fixture = await startConsoleFixture();
    const read = async () =>
      ((await (await api('/api/backends')).json()) as { backends: Record<string, unknown>[] })
        .backends;
    const [backend] = await read();
    expect(backend).toMatchObject({
      id: 'sim',
      url: fixture.sim.url,
      state: 'open',
      load: 0,
      reconnects: 0,
      recentErrors: [],
      problems: [],
      version: expect.any(String),
    });
    const models = backend?.['models'] as Record<string, string[]>;
    expect(models['checkpoints']).toEqual(
      await fixture.relay.choicesFor('image.txt2img', 'checkpoint'),
    );
    expect(models['loras']?.length).toBeGreaterThan(0);

    const eventCount = fixture.events.length;
    fixture.sim.faults.dropSockets();
    await fixture.event(
      (event) =>
        fixture.events.indexOf(event) >= eventCount &&
        event.type === 'backend' &&
        event.state === 'open',
    );
    const [after] = await read();
    expect(after).toMatchObject({ state: 'open', reconnects: 1 });
    expect((after?.['recentErrors'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('serves the latest preview of a running generation', async () => {
    fixture = await startConsoleFixture();
    let paused = false;
    fixture.sim.on('step', () => {
      if (paused) return;
      paused = true;
      fixture.sim.setStepDelay(600_000); // stays mid-run until the test lets it go
    });
    const handle = await fixture.relay.generate('image.txt2img', { prompt: 'preview', steps: 5 });
    await fixture.event(
      (event) => event.type === 'progress' && event.id === handle.id && !!event.progress.preview,
    );
    const preview = await api(`/api/generations/${handle.id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toMatch(/^image\//);
    expect((await preview.arrayBuffer()).byteLength).toBeGreaterThan(0);
    fixture.sim.setStepDelay(2);
    await handle.done;
    expect((await api(`/api/generations/${handle.id}/preview`)).status).toBe(404);
  });
});

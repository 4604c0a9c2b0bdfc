import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@comfyrelay/core';
import { SqliteGenerationStore } from '@comfyrelay/store-sqlite';
import { waitFor } from '@comfyrelay/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStream } from './helpers/peer.js';
import { startConsoleFixture, type ConsoleFixture } from './helpers/startConsoleFixture.js';

/** One sample's value from the Prometheus text, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  let fixture: ConsoleFixture;
  afterEach(async () => {
    await fixture.close();
  });
  const metrics = async () => (await fetch(`${fixture.base}/metrics`)).text();

  it('counts generations by state, workflow and frontend; time in queue; sampler steps', async () => {
    fixture = await startConsoleFixture();
    const origin = { platform: 'telegram', userId: '7' };
    const handle = await fixture.relay.generate(
      'image.txt2img',
      { prompt: 'a', steps: 4 },
      { origin },
    );
    await handle.done;
    const text = await metrics();
    const labels = 'workflow="image.txt2img",frontend="telegram"';
    for (const state of ['submitted', 'started', 'succeeded'])
      expect(sample(text, `comfyrelay_generations_total{state="${state}",${labels}}`), state).toBe(
        1,
      );
    expect(sample(text, `comfyrelay_queue_wait_seconds_count{${labels}}`)).toBe(1);
    expect(
      sample(text, `comfyrelay_generation_duration_seconds_count{state="succeeded",${labels}}`),
    ).toBe(1);
    expect(
      sample(text, 'comfyrelay_sampling_steps_total{workflow="image.txt2img",backend="sim"}'),
    ).toBe(4);
    expect(sample(text, 'comfyrelay_backend_up{backend="sim"}')).toBe(1);
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
  });

  it('shows the queue depth, ours and the backend’s, and how long the oldest has waited', async () => {
    fixture = await startConsoleFixture({}, { relay: { scheduling: { perBackend: 1 } } });
    fixture.sim.holdExecution();
    const origin = { platform: 'discord', userId: '1' };
    const handles = [];
    for (const prompt of ['one', 'two', 'three'])
      handles.push(await fixture.relay.generate('image.txt2img', { prompt }, { origin }));
    const first = handles[0]?.id ?? '';
    await fixture.event(
      (event) => event.type === 'positions' && event.positions[first]?.position === 1,
    );
    const text = await metrics();
    expect(sample(text, 'comfyrelay_queue_depth{queue="relay"}')).toBe(2);
    expect(sample(text, 'comfyrelay_queue_depth{queue="sim"}')).toBe(1);
    expect(sample(text, 'comfyrelay_queue_oldest_wait_seconds')).toBeGreaterThanOrEqual(0);
    expect(
      sample(
        text,
        'comfyrelay_generations_in_flight{state="queued",workflow="image.txt2img",frontend="discord"}',
      ) ?? 0,
    ).toBeGreaterThanOrEqual(1);
    for (const handle of handles) await handle.cancel();
    fixture.sim.releaseExecution();
  });

  it('counts socket reconnects, event stream drops and store reads', async () => {
    fixture = await startConsoleFixture();
    const eventCount = fixture.events.length;
    fixture.sim.faults.dropSockets();
    await fixture.event(
      (event) =>
        fixture.events.indexOf(event) >= eventCount &&
        event.type === 'backend' &&
        event.state === 'open',
    );
    const stream = await openEventStream(`ws://127.0.0.1:${fixture.console.port}/events`);
    if (!stream.opened) throw new Error('the event stream refused us');
    expect(sample(await metrics(), 'comfyrelay_event_stream_listeners')).toBe(1);
    stream.ws.close();
    const text = await waitFor(
      async () => {
        const now = await metrics();
        return (
          sample(now, 'comfyrelay_event_stream_drops_total{reason="disconnected"}') === 1 && now
        );
      },
      { what: 'the drop to be counted' },
    );
    expect(sample(text, 'comfyrelay_backend_reconnects_total{backend="sim"}')).toBe(1);
    expect(sample(text, 'comfyrelay_backend_errors_total{backend="sim"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(text, 'comfyrelay_event_stream_listeners')).toBe(0);

    await fetch(`${fixture.base}/api/generations`);
    expect(
      sample(await metrics(), 'comfyrelay_store_read_seconds_count{operation="history"}'),
    ).toBe(1);
  });

  it('counts the relay’s subscribers dropped for falling behind, whoever they belong to', async () => {
    fixture = await startConsoleFixture({}, { relay: { broadcast: { sendTimeoutMs: 50 } } });
    const before = await metrics();
    for (const reason of ['send-timeout', 'queue-overflow', 'send-failed'])
      expect(sample(before, `comfyrelay_subscriber_drops_total{reason="${reason}"}`)).toBe(0);
    // A frontend's subscriber that never finishes sending: the broadcaster drops it.
    const dropped = new Promise<string>((resolve) =>
      fixture.relay.subscribe(
        { send: () => new Promise<void>(() => undefined), close: (reason) => resolve(reason.code) },
        { name: 'hung frontend' },
      ),
    );
    const handle = await fixture.relay.generate('image.txt2img', { prompt: 'a', steps: 2 });
    expect(await dropped).toBe('send-timeout');
    await handle.done;
    const text = await metrics();
    expect(sample(text, 'comfyrelay_subscriber_drops_total{reason="send-timeout"}')).toBe(1);
    expect(sample(text, 'comfyrelay_subscriber_drops_total{reason="queue-overflow"}')).toBe(0);
  });
});

describe('/healthz and /readyz', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('is up while the process runs; ready only with a connected backend', async () => {
    const fixture = await startConsoleFixture();
    cleanup.push(() => fixture.close());
    const probe = async (path: string) => {
      const answer = await fetch(`${fixture.base}${path}`);
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    expect(await probe('/healthz')).toEqual({ status: 200, body: { status: 'up' } });
    expect(await probe('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });

    const eventCount = fixture.events.length;
    const after = (state: string) =>
      fixture.event(
        (event) =>
          fixture.events.indexOf(event) >= eventCount &&
          event.type === 'backend' &&
          event.state === state,
      );
    fixture.sim.faults.refuseConnections(true);
    fixture.sim.faults.dropSockets();
    await after('reconnecting');
    const down = await probe('/readyz');
    expect(down.status).toBe(503);
    expect(down.body['problems']).toEqual([
      expect.stringContaining('no ComfyUI server is connected'),
    ]);
    expect((await probe('/healthz')).status).toBe(200);

    fixture.sim.faults.clear();
    await after('open');
    expect((await probe('/readyz')).status).toBe(200);
  });

  it('is not ready once the store is closed', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'comfyrelay-console-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const store = await SqliteGenerationStore.open({ dataDir, logger: silentLogger });
    const fixture = await startConsoleFixture({}, { relay: { store } });
    cleanup.push(() => fixture.close());
    expect((await fetch(`${fixture.base}/readyz`)).status).toBe(200);
    store.close();
    const answer = await fetch(`${fixture.base}/readyz`);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({
      status: 'not ready',
      problems: [expect.stringContaining('the generation store cannot be read')],
    });
  });
});

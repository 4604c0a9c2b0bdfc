import { afterEach, describe, expect, it } from 'vitest';
import {
  progressWorkflow,
  startFixture,
  txt2imgWorkflow,
  typesOf,
  type Fixture,
} from './helpers/relayFixture.js';
import type { RelayEvent } from '../src/events.js';
import type { GenerationHandle } from '../src/generation/GenerationHandle.js';

// Seeds 000/001: a second concurrent generation hung until a third was started, because each
// generation opened its own socket / used its own client_id. Here: one socket, one client id.
describe('concurrent generations over one connection', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => fixture?.close());

  it.each([2, 10])(
    '%i generations submitted at once all complete, each with its own progress',
    async (count) => {
      fixture = await startFixture();
      const { relay, sim, submit } = fixture;
      const generations = await Promise.all(
        Array.from({ length: count }, (_, i) => submit(progressWorkflow(2 + (i % 3)))),
      );
      // No later submission is needed to "unstick" anyone: every one finishes on its own.
      const records = await Promise.all(generations.map((g) => g.done));
      expect(records.map((r) => r.status)).toEqual(Array(count).fill('succeeded'));
      expect(sim.connectedClientIds()).toEqual([relay.clientId]);
      generations.forEach((generation, i) => {
        const steps = 2 + (i % 3);
        const progress = fixture!
          .eventsOf(generation.id)
          .filter((e): e is Extract<RelayEvent, { type: 'progress' }> => e.type === 'progress');
        // Steps read in one socket chunk publish once (the last wins), so check the shape, not every step.
        const stepped = progress.filter((e) => e.progress.stepTotal !== undefined);
        const stepsSeen = stepped.map((e) => e.progress.step ?? 0);
        expect(stepsSeen.length).toBeGreaterThan(0);
        expect(stepsSeen).toEqual([...new Set(stepsSeen)].sort((a, b) => a - b));
        expect(
          stepped.every((e) => e.progress.stepTotal === steps && (e.progress.step ?? 0) <= steps),
        ).toBe(true);
        expect(progress.every((e) => e.promptId === generation.promptId)).toBe(true);
        expect(progress.at(-1)?.progress.fraction).toBe(1);
      });
      expect(relay.active().length).toBe(0);
    },
  );

  it('reports queue positions before a generation starts, then its real steps', async () => {
    fixture = await startFixture({ stepDelayMs: 30 });
    const { sim, submit } = fixture;
    sim.holdExecution();
    const generations: GenerationHandle[] = [];
    for (let i = 0; i < 3; i++) generations.push(await submit(progressWorkflow(3)));
    const positions = async () =>
      generations.map(
        (g) =>
          (
            fixture!
              .eventsOf(g.id)
              .filter((e) => e.type === 'queued')
              .at(-1) as { position?: number } | undefined
          )?.position,
      );
    await expect.poll(positions).toEqual([1, 2, 3]);
    sim.releaseExecution();
    await Promise.all(generations.map((g) => g.done));
    for (const generation of generations) {
      const types = typesOf(fixture.eventsOf(generation.id));
      expect(types.indexOf('queued')).toBeLessThan(types.indexOf('started'));
      expect(types.at(-1)).toBe('succeeded');
    }
    // Positions move up as the queue drains: the last one was #3, then #2, then #1.
    const last = generations[2]!;
    const seen = fixture
      .eventsOf(last.id)
      .filter((e) => e.type === 'queued')
      .map((e) => (e as { position: number }).position);
    expect(seen).toEqual([3, 2, 1]);
  });

  it('runs a real checkpoint graph with phases and downloads its image via /view', async () => {
    fixture = await startFixture();
    const generation = await fixture.submit(txt2imgWorkflow(4));
    const record = await generation.done;
    expect(record.status).toBe('succeeded');
    const phases = fixture
      .eventsOf(generation.id)
      .filter((e): e is Extract<RelayEvent, { type: 'progress' }> => e.type === 'progress')
      .map((e) => e.progress.phase);
    const known = [
      'starting',
      'loading model',
      'encoding prompt',
      'preparing',
      'sampling',
      'decoding',
      'saving',
      'done',
    ];
    expect(
      phases.every((phase) => known.includes(phase) || /^sampling [1-4]\/4$/.test(phase)),
    ).toBe(true);
    expect(phases.some((phase) => /^sampling [1-4]\/4$/.test(phase))).toBe(true);
    expect(phases.at(-1)).toBe('done');
    const image = await fixture.relay.readOutput(record.outputs![0]!);
    // The size is known without downloading (HEAD /view), for frontends with upload limits.
    expect(await fixture.relay.outputSize(record.outputs![0]!)).toBe(image.length);
    expect(image.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(record.outputs![0]).toMatchObject({ kind: 'image', mime: 'image/png' });
  });

  it('delivers each generation its own binary previews', async () => {
    fixture = await startFixture({ stepDelayMs: 10 });
    const generations = await Promise.all([
      fixture.submit(txt2imgWorkflow(3)),
      fixture.submit(txt2imgWorkflow(3)),
    ]);
    await Promise.all(generations.map((g) => g.done));
    for (const generation of generations) {
      const previews = fixture
        .eventsOf(generation.id)
        .flatMap((e) => (e.type === 'progress' && e.progress.preview ? [e.progress.preview] : []));
      expect(previews.length).toBeGreaterThan(0);
      expect(previews.every((p) => p.promptId === generation.promptId)).toBe(true);
      expect(previews[0]?.data.readUInt32BE(0)).toBe(0x89504e47);
    }
  });

  it('routes messages that arrive before the POST answer to the generation that sent it', async () => {
    fixture = await startFixture();
    const order: string[] = [];
    const unsubscribe = fixture.relay.subscribe({ send: (e) => void order.push(e.type) });
    const generation = await fixture.submit(progressWorkflow(2));
    order.push('post-answered');
    await generation.done;
    unsubscribe.unsubscribe();
    // The simulator, like ComfyUI, sent execution_start before answering the POST.
    expect(order.indexOf('started')).toBeGreaterThan(-1);
    expect(order.indexOf('started')).toBeLessThan(order.indexOf('post-answered'));
  });
});

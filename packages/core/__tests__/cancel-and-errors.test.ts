import { afterEach, describe, expect, it } from 'vitest';
import { progressWorkflow, startFixture, typesOf, type Fixture } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';

describe('cancel, validation errors, deadlines', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => fixture?.close());

  it('cancels a pending generation by deleting it from the queue (trap 3)', async () => {
    fixture = await startFixture();
    const { relay, sim, submit } = fixture;
    sim.holdExecution();
    const first = await submit(progressWorkflow(2));
    const second = await submit(progressWorkflow(2));
    expect(await relay.cancel(second.id)).toBe(true);
    expect(sim.queueSnapshot().pending).toEqual([first.promptId]);
    expect(typesOf(fixture.eventsOf(second.id)).at(-1)).toBe('cancelled');
    sim.releaseExecution();
    expect((await first.done).status).toBe('succeeded');
  });

  it('cancels a running generation by interrupting only its prompt, then the next one runs', async () => {
    fixture = await startFixture({ stepDelayMs: 20 });
    const { relay, submit } = fixture;
    const running = await submit(progressWorkflow(200));
    const next = await submit(progressWorkflow(2));
    await waitFor(
      () =>
        fixture!
          .eventsOf(running.id)
          .some((e) => e.type === 'progress' && (e.progress.step ?? 0) >= 1),
      { what: 'a step' },
    );
    expect(await relay.cancel(running.id)).toBe(true);
    expect((await running.done).status).toBe('cancelled');
    expect((await next.done).status).toBe('succeeded');
  });

  it('a generation someone else stops on ComfyUI (its Cancel button) fails as interrupted, in words', async () => {
    fixture = await startFixture({ stepDelayMs: 20 });
    const { sim, submit } = fixture;
    const running = await submit(progressWorkflow(200));
    await waitFor(
      () =>
        fixture!
          .eventsOf(running.id)
          .some((e) => e.type === 'progress' && (e.progress.step ?? 0) >= 1),
      { what: 'a step' },
    );
    await fetch(`${sim.url}/interrupt`, { method: 'POST' }); // another client, not comfyrelay
    const record = await running.done;
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({
      code: 'interrupted',
      message: 'ComfyUI stopped this generation (it was interrupted on the server).',
    });
  });

  it('says in plain words which node and input ComfyUI refused', async () => {
    fixture = await startFixture();
    const graph = progressWorkflow(2);
    graph['1']!.inputs['steps'] = 999_999;
    // Queued first, then refused by ComfyUI: the refusal is the generation's end.
    const { error } = await (await fixture.submit(graph)).done;
    expect(error?.message).toMatch(
      /node 1 \(TestProgressNode\) input "steps": 999999 is bigger than the maximum \d+/,
    );
    const failed = fixture.events.find((e) => e.type === 'failed');
    expect(failed).toMatchObject({ error: { code: 'validation' } });
  });

  it('fails a generation that passes its deadline and removes it from the server queue', async () => {
    fixture = await startFixture({ relay: { deadlineMs: 300 } });
    const { sim, submit } = fixture;
    sim.holdExecution();
    const generation = await submit(progressWorkflow(2));
    const record = await generation.done;
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({ code: 'deadline' });
    await waitFor(() => sim.queueSnapshot().pending.length === 0, {
      what: 'the queue to be emptied',
    });
  });

  it('reports an execution error with the node that failed', async () => {
    fixture = await startFixture();
    const generation = await fixture.submit({
      '1': { class_type: 'TestFailNode', inputs: { seed: 1, steps: 5, fail_at: 2, delay: 0 } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'fail' } },
    });
    const record = await generation.done;
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(/^TestFailNode \(node 1\) failed: .*deliberate failure/);
  });
});

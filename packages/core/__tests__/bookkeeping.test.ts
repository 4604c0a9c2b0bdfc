import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryFetcher } from '../src/backend/HistoryFetcher.js';
import { ComfyRelay } from '../src/ComfyRelay.js';
import type { GenerationHandle } from '../src/generation/GenerationHandle.js';
import { createRelayContainer } from '../src/di/createRelayContainer.js';
import { submitGraph, type RawSubmitOptions } from '../src/internal/launchers.js';
import { LimitError } from '../src/scheduling/Limits.js';
import { Broadcaster } from '../src/broadcast/Broadcaster.js';
import { SendQueue } from '../src/broadcast/SendQueue.js';
import { GenerationRegistry } from '../src/generation/GenerationRegistry.js';
import type { StoredGeneration } from '../src/generation/GenerationState.js';
import { InMemoryGenerationStore } from '../src/generation/GenerationStore.js';
import { ComfyConnection } from '../src/connection/ComfyConnection.js';
import { readProgressFrame } from '../src/connection/readProgressFrame.js';
import type { ComfyHttpClient } from '../src/http/ComfyHttpClient.js';
import { isNotingTracker, noteMessage, type NotingTracker } from '../src/progress/Progress.js';
import { StepWeightedInterpreter } from '../src/progress/StepWeightedInterpreter.js';
import type { PromptMessage } from '../src/protocol/messages.js';
import type { HistoryEntry } from '../src/protocol/rest.js';
import { requirementsOf } from '../src/routing/requirements.js';
import { PositionBoard } from '../src/scheduling/PositionBoard.js';
import { silentLogger } from '../src/util/Logger.js';
import { OrderedMap } from '../src/util/OrderedMap.js';
import { progressWorkflow, startFixture } from './helpers/relayFixture.js';
import { waitFor } from './helpers/waitFor.js';

function stored(id: string, status: StoredGeneration['status'], createdAt = 0): StoredGeneration {
  return { id, promptId: `p-${id}`, status, createdAt };
}

describe('InMemoryGenerationStore: what it forgets when full', () => {
  it('forgets the finished record saved longest ago, never an unfinished one', () => {
    const store = new InMemoryGenerationStore(3);
    store.save(stored('a', 'succeeded'));
    store.save(stored('b', 'running'));
    store.save(stored('c', 'failed'));
    store.save(stored('d', 'queued')); // over capacity: a goes
    expect(store.get('a')).toBeUndefined();
    expect(['b', 'c', 'd'].map((id) => store.get(id)?.id)).toEqual(['b', 'c', 'd']);
    store.save(stored('e', 'queued')); // c goes: b and d are unfinished
    expect(store.get('c')).toBeUndefined();
    store.save(stored('f', 'submitted')); // nothing finished left: unfinished ones stay
    expect(store.size).toBe(4);
    expect(['b', 'd', 'e', 'f'].every((id) => store.get(id) !== undefined)).toBe(true);
  });

  it('a finished record saved again counts from its last save', () => {
    const store = new InMemoryGenerationStore(3);
    store.save(stored('a', 'succeeded'));
    store.save(stored('b', 'succeeded'));
    store.save(stored('c', 'succeeded'));
    store.save(stored('a', 'succeeded')); // a is now the newest
    store.save(stored('d', 'succeeded'));
    expect(store.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((id) => store.get(id)?.id)).toEqual(['a', 'c', 'd']);
  });

  it('a record saved finished then unfinished is not forgotten as finished', () => {
    const store = new InMemoryGenerationStore(2);
    store.save(stored('a', 'succeeded'));
    store.save(stored('a', 'running'));
    store.save(stored('b', 'succeeded'));
    store.save(stored('c', 'running')); // b, the only finished one, goes
    expect(store.get('a')?.status).toBe('running');
    expect(store.get('b')).toBeUndefined();
  });

  it('delete and prune keep what it forgets next in step', () => {
    const store = new InMemoryGenerationStore(2);
    store.save({ ...stored('a', 'succeeded'), finishedAt: 10 });
    store.save({ ...stored('b', 'succeeded'), finishedAt: 20 });
    store.delete('a');
    expect(store.prune(15)).toBe(0);
    expect(store.prune(25)).toBe(1); // b
    store.save(stored('c', 'running'));
    store.save(stored('d', 'running'));
    store.save({ ...stored('e', 'cancelled'), finishedAt: 30 }); // e is the only finished one
    expect(store.get('e')).toBeUndefined();
    expect(store.size).toBe(2);
  });

  it('keeps thousands of unfinished records while finished ones come and go', () => {
    const store = new InMemoryGenerationStore(1_000);
    for (let i = 0; i < 500; i++) store.save(stored(`f${i}`, 'succeeded'));
    for (let i = 0; i < 5_000; i++) store.save(stored(`u${i}`, 'queued'));
    // Over capacity from the 501st unfinished one on: the 500 finished went, oldest first.
    expect(store.size).toBe(5_000);
    expect(store.get('f499')).toBeUndefined();
    // Full of unfinished ones: a finished record is forgotten as soon as it is saved.
    store.save(stored('late', 'succeeded'));
    expect(store.get('late')).toBeUndefined();
    // Once they finish, they go oldest first and the store shrinks back to its capacity.
    for (let i = 0; i < 5_000; i++) store.save(stored(`u${i}`, 'succeeded'));
    expect(store.size).toBe(1_000);
    expect(store.get('u3999')).toBeUndefined();
    expect(store.get('u4000')).toBeDefined();
    expect(store.unfinished()).toEqual([]);
  });
});

describe('OrderedMap', () => {
  it('keeps keys in the order they were last set, with the oldest at hand', () => {
    const map = new OrderedMap<string, number>();
    for (const [key, value] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      map.set(key, value);
    map.set('a', 4); // moves to the back
    expect([...map.keys()]).toEqual(['b', 'c', 'a']);
    expect(map.get('a')).toBe(4);
    expect(map.firstKey()).toBe('b');
    expect(map.firstValue()).toBe(2);
    expect(map.delete('c')).toBe(true);
    expect(map.delete('c')).toBe(false);
    expect(map.shift()).toBe('b');
    expect([...map.keys()]).toEqual(['a']);
    expect(map.size).toBe(1);
    expect(map.shift()).toBe('a');
    expect(map.shift()).toBeUndefined();
    expect(map.firstKey()).toBeUndefined();
    map.set('z', 0);
    expect([...map.keys()]).toEqual(['z']);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.has('z')).toBe(false);
  });
});

describe('GenerationRegistry: live generations per requester', () => {
  const entry = (id: string, requester?: string) => ({
    id,
    ...(requester !== undefined ? { requester } : {}),
    isTerminal: false,
    generation: { toRecord: () => stored(id, 'running') },
    toStored: () => stored(id, 'running'),
  });

  it('counts what add brings in and retire takes out, once each', async () => {
    const registry = new GenerationRegistry(new InMemoryGenerationStore(), silentLogger);
    const a1 = entry('a1', 'ann');
    const a2 = entry('a2', 'ann');
    await registry.add(a1);
    await registry.add(a2);
    await registry.add(entry('b1', 'bob'));
    await registry.add(entry('x1'));
    expect([registry.liveOf('ann'), registry.liveOf('bob'), registry.liveOf('eve')]).toEqual([
      2, 1, 0,
    ]);
    registry.retire(a1);
    registry.retire(a1); // twice: counted once
    expect(registry.liveOf('ann')).toBe(1);
    await registry.add(entry('a2', 'bob')); // the same id again, now bob's
    expect([registry.liveOf('ann'), registry.liveOf('bob')]).toEqual([0, 2]);
    registry.retire(a2);
    expect(registry.liveOf('bob')).toBe(1);
    expect(registry.active().map((live) => live.id)).toEqual(['b1', 'x1']);
  });

  it('keeps out, and does not count, one that ended before it was added', async () => {
    const registry = new GenerationRegistry(new InMemoryGenerationStore(), silentLogger);
    await registry.add({ ...entry('a', 'ann'), isTerminal: true });
    expect(registry.liveOf('ann')).toBe(0);
    expect(registry.size).toBe(0);
  });
});

describe('SendQueue: coalescing, walked or indexed', () => {
  /** The queue's contract, the plain way: a superseded event leaves, the newer one goes last. */
  function model(pushes: [event: number, key: string | undefined][]): number[] {
    const queue: [number, string | undefined][] = [];
    for (const [event, key] of pushes) {
      const at = key === undefined ? -1 : queue.findIndex(([, k]) => k === key);
      if (at >= 0) queue.splice(at, 1);
      queue.push([event, key]);
    }
    return queue.map(([event]) => event);
  }

  it('matches the plain model below, across and above the size where it starts an index', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const length of [3, 8, 9, 12, 40]) {
      const pushes: [number, string | undefined][] = Array.from({ length }, (_, event) => [
        event,
        random() < 0.3 ? undefined : `k${Math.floor(random() * 6)}`,
      ]);
      const queue = new SendQueue<number>();
      for (const [event, key] of pushes) expect(queue.push(event, key, 0, Infinity)).toBe(true);
      expect(queue.size).toBe(model(pushes).length);
      const out: number[] = [];
      for (let slot = queue.shift(); slot; slot = queue.shift()) out.push(slot.event);
      expect(out).toEqual(model(pushes));
    }
  });

  it('still coalesces after draining below the index size, and respects its limit', () => {
    const queue = new SendQueue<string>();
    for (let i = 0; i < 12; i++) queue.push(`e${i}`, `k${i}`, 0, Infinity);
    while (queue.size > 2) queue.shift();
    queue.push('newer', 'k10', 0, Infinity);
    expect(queue.push('over', 'fresh', 0, 2)).toBe(false);
    expect(queue.push('replaces', 'k11', 0, 2)).toBe(true);
    const out: string[] = [];
    for (let slot = queue.shift(); slot; slot = queue.shift()) out.push(slot.event);
    expect(out).toEqual(['newer', 'replaces']);
  });
});

describe('Broadcaster topics', () => {
  const broadcaster = () =>
    new Broadcaster<{ topic: string; n: number }>({ topicsOf: (event) => event.topic });
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  it('one or several subscribers of a topic each get its events, and only them', async () => {
    const events = broadcaster();
    const got: Record<string, number[]> = { a1: [], a2: [], b: [] };
    const a1 = events.subscribe({ send: (e) => void got['a1']!.push(e.n) }, { topic: 'a' });
    events.subscribe({ send: (e) => void got['b']!.push(e.n) }, { topic: 'b' });
    events.publish({ topic: 'a', n: 1 });
    const a2 = events.subscribe({ send: (e) => void got['a2']!.push(e.n) }, { topic: 'a' });
    events.publish({ topic: 'a', n: 2 });
    events.publish({ topic: 'b', n: 3 });
    await flush();
    a1.unsubscribe();
    events.publish({ topic: 'a', n: 4 });
    await flush();
    a2.unsubscribe();
    events.publish({ topic: 'a', n: 5 });
    await flush();
    expect(got).toEqual({ a1: [1, 2], a2: [2, 4], b: [3] });
    expect(events.size).toBe(1);
  });

  it('a subscriber that joins a topic from a drop callback gets the event being published', async () => {
    const got: number[] = [];
    const events: Broadcaster<{ topic: string; n: number }> = new Broadcaster({
      topicsOf: (event) => event.topic,
      onDrop: () => void events.subscribe({ send: (e) => void got.push(e.n) }, { topic: 'a' }),
    });
    events.subscribe(
      { send: () => undefined },
      {
        topic: 'a',
        filter: () => {
          throw new Error('a broken filter');
        },
      },
    );
    events.publish({ topic: 'a', n: 1 });
    await flush();
    expect(got).toEqual([1]);
  });
});

describe('PositionBoard', () => {
  it('publishes nothing when a source that had nobody waiting still has nobody', async () => {
    const published: unknown[] = [];
    const board = new PositionBoard((event) => void published.push(event));
    board.set('backend', { g1: { promptId: 'p1', position: 1, ahead: 0 } });
    await Promise.resolve();
    expect(published).toHaveLength(1);
    for (let i = 0; i < 5; i++) board.set('comfyrelay', {});
    await Promise.resolve();
    expect(published).toHaveLength(1);
    board.set('backend', {});
    await Promise.resolve();
    expect(published).toHaveLength(2);
  });
});

describe('HistoryFetcher: one batch, sized for what the socket has not said yet', () => {
  function fetcher(ready: () => Promise<boolean>, unheard = 0) {
    const asked: (number | string)[] = [];
    const entries = new Map<string, HistoryEntry>();
    const http = {
      // As ComfyUI answers max_items: the newest entries (the last ones written).
      getHistory: async (maxItems: number) => {
        asked.push(maxItems);
        return Object.fromEntries([...entries].slice(-maxItems));
      },
      getHistoryEntry: async (promptId: string) => {
        asked.push(promptId);
        return entries.get(promptId);
      },
    } as unknown as ComfyHttpClient;
    const history = new HistoryFetcher(http, silentLogger, { ready, unheard: () => unheard });
    const entry = (promptId: string) => {
      const value = { outputs: {} } as unknown as HistoryEntry;
      entries.set(promptId, value);
      return value;
    };
    return { history, asked, entry };
  }

  it('waits until it may read: everything asked meanwhile shares one batch (2N, at least 32)', async () => {
    let go!: (quiet: boolean) => void;
    const t = fetcher(() => new Promise((resolve) => (go = resolve)));
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const expected = ids.map((id) => t.entry(id));
    const reads = ids.map((id) => t.history.get(id));
    await Promise.resolve();
    expect(t.asked).toEqual([]);
    go(true);
    expect(await Promise.all(reads)).toEqual(expected);
    expect(t.asked).toEqual([40]);
  });

  it('asks for more while the socket lags: every prompt the server may have finished unheard', async () => {
    const t = fetcher(() => Promise.resolve(false), 500);
    t.entry('a');
    t.entry('b');
    await Promise.all([t.history.get('a'), t.history.get('b')]);
    expect(t.asked).toEqual([32 + 500]);
  });

  it('asks one by one for what a full batch missed', async () => {
    const t = fetcher(() => Promise.resolve(true));
    const older = t.entry('older');
    for (let i = 0; i < 40; i++) t.entry(`other${i}`);
    const reads = [t.history.get('older'), t.history.get('b')];
    expect(await Promise.all(reads)).toEqual([older, undefined]);
    expect(t.asked).toEqual([32, 'older', 'b']);
  });

  it('asks nothing more when the batch held the whole history', async () => {
    const t = fetcher(() => Promise.resolve(true));
    const done = t.entry('done');
    for (let i = 0; i < 10; i++) t.entry(`other${i}`);
    const lost = Array.from({ length: 100 }, (_, i) => `lost${i}`);
    const reads = await Promise.all(['done', ...lost].map((id) => t.history.get(id)));
    expect(reads).toEqual([done, ...lost.map(() => undefined)]);
    expect(t.asked).toEqual([202]);
  });
});

describe('requirementsOf', () => {
  it('tells apart values whose parts would run together with a separator', () => {
    const needs = requirementsOf({
      '1': { class_type: 'A:B', inputs: { c: 'd' } },
      '2': { class_type: 'A', inputs: { 'B:c': 'd' } },
      '3': { class_type: 'A', inputs: { 'B:c': 'd' } },
    });
    expect(needs.comboValues).toEqual([
      { classType: 'A:B', input: 'c', value: 'd' },
      { classType: 'A', input: 'B:c', value: 'd' },
    ]);
  });
});

describe('generations in flight per requester, as limits count them (through a relay)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function relayOn(sim: ComfySimulator, store: InMemoryGenerationStore) {
    const relay = createRelayContainer(
      {
        backends: [{ id: 'sim', url: sim.url }],
        historyRetryDelayMs: 20,
        scheduling: { perBackend: 1, limits: { perUserConcurrent: 2 } },
      },
      { logger: silentLogger, store },
    ).resolve(ComfyRelay);
    const asUser = (userId: string, options: RawSubmitOptions = {}) =>
      submitGraph(relay, progressWorkflow(2), { origin: { platform: 'test', userId }, ...options });
    const refused = (userId: string) =>
      asUser(userId).then(
        () => 'accepted',
        (error: unknown) => (error instanceof LimitError ? error.code : String(error)),
      );
    return { relay, asUser, refused };
  }

  it('a cancelled or failed one frees its place; one taken up after a restart holds its place', async () => {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    cleanup.push(() => sim.stop());
    const store = new InMemoryGenerationStore();
    const first = relayOn(sim, store);
    await first.relay.start();
    await first.relay.ready();
    sim.holdExecution();
    const running = await first.asUser('ann');
    const waiting = await first.asUser('ann');
    expect(await first.refused('ann')).toBe('user-concurrent');
    expect(await first.relay.cancel(waiting.id)).toBe(true);
    // Cancelled: one place free. A generation that fails (its deadline) frees its place too.
    const doomed = await first.asUser('ann', { deadlineMs: 1 });
    expect((await doomed.done).status).toBe('failed');
    const kept = await first.asUser('ann');
    expect(await first.refused('ann')).toBe('user-concurrent');
    await waitFor(() => running.record().submittedAt !== undefined, { what: 'its POST' });
    await first.relay.stop();

    // A restart takes both up again: they still count.
    const second = relayOn(sim, store);
    cleanup.push(() => second.relay.stop());
    await second.relay.start();
    await second.relay.ready();
    expect(await second.refused('ann')).toBe('user-concurrent');
    expect(await second.refused('bob')).toBe('accepted');
    sim.releaseExecution();
    const ends = await Promise.all([running, kept].map((job) => second.relay.handle(job.id)!.done));
    expect(ends.map((end) => end.status)).toEqual(['succeeded', 'succeeded']);
    expect(await second.refused('ann')).toBe('accepted');
  });
});

describe('a backend knows at once whether anything is in flight', () => {
  it('its live prompts go as they end: succeeded, cancelled on the server, failed', async () => {
    const t = await startFixture({ stepDelayMs: 2 });
    try {
      const live = () => (t.backend as unknown as { live: OrderedMap<unknown, true> }).live.size;
      t.sim.holdExecution();
      const jobs: GenerationHandle[] = [];
      for (let i = 0; i < 5; i++) jobs.push(await t.submit(progressWorkflow(2)));
      await waitFor(() => jobs.every((job) => job.record().submittedAt !== undefined), {
        what: 'every POST',
      });
      expect(live()).toBe(5);
      expect(await t.relay.cancel(jobs[4]!.id)).toBe(true);
      expect(live()).toBe(4);
      t.sim.releaseExecution();
      const ends = await Promise.all(jobs.map((job) => job.done));
      expect(ends.map((end) => end.status)).toEqual([
        'succeeded',
        'succeeded',
        'succeeded',
        'succeeded',
        'cancelled',
      ]);
      expect(live()).toBe(0);
      expect(t.backend.tracked).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('StepWeightedInterpreter: a Progress built only when asked for is the same', () => {
  const graph = {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'x' } },
    '3': { class_type: 'KSampler', inputs: { steps: 4 } },
    '5': { class_type: 'LatentUpscale', inputs: {} },
    '8': { class_type: 'VAEDecode', inputs: {} },
    '9': { class_type: 'SaveImage', inputs: {} },
  };
  const id = 'p';
  const messages: PromptMessage[] = [
    { type: 'execution_start', data: { prompt_id: id } },
    { type: 'execution_cached', data: { nodes: ['4'], prompt_id: id } },
    { type: 'executing', data: { node: '3', prompt_id: id } },
    ...[1, 2, 3, 4].map((value): PromptMessage => ({
      type: 'progress',
      data: { value, max: 4, prompt_id: id },
    })),
    { type: 'executing', data: { node: '5', prompt_id: id } },
    { type: 'progress', data: { value: 1, max: 2, node: '5', prompt_id: id } },
    { type: 'progress', data: { value: 3, max: 9, node: 'unknown', prompt_id: id } },
    { type: 'executing', data: { node: '8', prompt_id: id } },
    { type: 'executed', data: { node: '9', output: null, prompt_id: id } },
    { type: 'progress', data: { value: -1, max: 2, prompt_id: id } } as PromptMessage,
  ];

  it('at every message, a preview and the end', () => {
    const interpreter = new StepWeightedInterpreter();
    const eager = interpreter.track(graph);
    const lazy = interpreter.track(graph) as NotingTracker;
    expect(isNotingTracker(lazy)).toBe(true);
    let now = 0;
    messages.forEach((message, i) => {
      now += 50;
      const returned = eager.onMessage(message, now);
      const changed = lazy[noteMessage](message, now);
      expect(changed).toBe(returned !== undefined);
      expect(lazy.current()).toEqual(eager.current());
      if (i === 5) {
        const preview = { mime: 'image/jpeg', data: Buffer.from([1]) };
        expect(lazy.onPreview(preview, now)).toEqual(eager.onPreview(preview, now));
      }
    });
    expect(lazy.current().phase).toBe('decoding');
    expect(lazy.complete()).toEqual(eager.complete());
    // The same object until something changes.
    expect(lazy.current()).toBe(lazy.current());
  });
});

describe('ComfyConnection.whenQuiet', () => {
  const connection = () => new ComfyConnection({ baseUrl: 'http://127.0.0.1:1', clientId: 'c' });

  it('says quiet once no frame came for a while', async () => {
    await expect(connection().whenQuiet(5_000)).resolves.toBe(true);
  });

  it('says not quiet, at its latest, while frames keep coming', async () => {
    const busy = connection();
    const frames = setInterval(() => (busy as unknown as { onActivity(): void }).onActivity(), 1);
    try {
      await expect(busy.whenQuiet(60)).resolves.toBe(false);
    } finally {
      clearInterval(frames);
    }
  });
});

describe('readProgressFrame: a step read from its bytes is what JSON.parse reads', () => {
  const python = (data: object) =>
    JSON.stringify({ type: 'progress', data }).replace(/":/g, '": ').replace(/,"/g, ', "');

  it('reads both spellings, and leaves everything else to JSON.parse', () => {
    const data = { value: 3, max: 20, prompt_id: 'a1b2-c3', node: '12:5' };
    for (const text of [JSON.stringify({ type: 'progress', data }), python(data)]) {
      const read = readProgressFrame(Buffer.from(text));
      expect(read).toEqual(JSON.parse(text));
      expect(JSON.stringify(read)).toBe(JSON.stringify(JSON.parse(text)));
    }
    for (const text of [
      JSON.stringify({ type: 'progress', data: { ...data, value: 3.5 } }),
      JSON.stringify({ type: 'progress', data: { ...data, value: -1 } }),
      JSON.stringify({ type: 'progress', data: { max: 20, value: 3, prompt_id: 'p', node: '3' } }),
      JSON.stringify({ type: 'progress', data: { ...data, node: 'é' } }),
      JSON.stringify({ type: 'progress', data: { ...data, node: 'a"b' } }),
      JSON.stringify({ type: 'progress', data: { ...data, extra: 1 } }),
      `${JSON.stringify({ type: 'progress', data })} `,
      JSON.stringify({ type: 'progress', data }).replace('"value":3', '"value":03'),
      JSON.stringify({ type: 'progress', data: { ...data, value: 1e16 } }),
    ])
      expect(readProgressFrame(Buffer.from(text))).toBeUndefined();
  });

  it('never reads a mutated frame differently from JSON.parse', () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const alphabet = '{}":, 0123456789-.eE\\\u00e9abcnodeprogessvaluxmtypid_';
    for (let i = 0; i < 5_000; i++) {
      const data = {
        value: Math.floor(random() * 1000),
        max: Math.floor(random() * 1000),
        prompt_id: `p${i}`,
        node: String(i % 13),
      };
      const base = random() < 0.5 ? JSON.stringify({ type: 'progress', data }) : python(data);
      const chars = [...base];
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * chars.length);
        const roll = random();
        const char = alphabet[Math.floor(random() * alphabet.length)]!;
        if (roll < 0.4) chars[at] = char;
        else if (roll < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, char);
      }
      const text = random() < 0.2 ? base : chars.join('');
      const read = readProgressFrame(Buffer.from(text));
      if (read === undefined) continue;
      expect(JSON.stringify(read)).toBe(JSON.stringify(JSON.parse(text)));
    }
  });
});

import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import {
  InMemoryGenerationStore,
  silentLogger,
  type GenerationStore,
  type StoredGeneration,
} from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PlatformMetrics,
  startPlatform,
  TimedGenerationStore,
  type App,
  type StoreOperation,
} from '../src/index.js';

const graph = {
  '1': { class_type: 'TestProgressNode', inputs: { seed: 1, steps: 2, width: 16, height: 16 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'timed' } },
};

const record = (id: string): StoredGeneration =>
  ({ id, status: 'succeeded', createdAt: 1, finishedAt: 2 }) as unknown as StoredGeneration;

function heard(metrics: PlatformMetrics): StoreOperation[] {
  const operations: StoreOperation[] = [];
  metrics.observeStore((operation, seconds) => {
    expect(seconds).toBeGreaterThanOrEqual(0);
    operations.push(operation);
  });
  return operations;
}

describe('TimedGenerationStore', () => {
  it('keeps a synchronous store synchronous and times each operation', () => {
    const metrics = new PlatformMetrics();
    const operations = heard(metrics);
    const store = new TimedGenerationStore(new InMemoryGenerationStore(), metrics);
    expect(store.save(record('a'))).toBeUndefined();
    expect(store.get('a')).toMatchObject({ id: 'a' });
    expect(store.list()).toHaveLength(1);
    expect(store.unfinished()).toEqual([]);
    expect(store.prune(10)).toBe(1);
    expect(store.delete('a')).toBeUndefined();
    expect(operations).toEqual(['save', 'get', 'list', 'unfinished', 'prune', 'delete']);
    expect(store.close).toBeUndefined();
  });

  it("passes on a store's saveMany (the relay batches its writes only then), timed", () => {
    const metrics = new PlatformMetrics();
    const operations = heard(metrics);
    const saved: string[] = [];
    const inner = new InMemoryGenerationStore();
    const batching: GenerationStore = {
      ...Object.fromEntries(
        (['save', 'get', 'list', 'unfinished', 'prune', 'delete'] as const).map((name) => [
          name,
          inner[name].bind(inner),
        ]),
      ),
      saveMany: (records: readonly StoredGeneration[]) => {
        for (const one of records) saved.push(one.id);
      },
    } as GenerationStore;
    expect(new TimedGenerationStore(inner, metrics).saveMany).toBeUndefined();
    const store = new TimedGenerationStore(batching, metrics);
    expect(store.saveMany?.([record('a'), record('b')])).toBeUndefined();
    expect(saved).toEqual(['a', 'b']);
    expect(operations).toEqual(['saveMany']);
  });

  it('times a promise once it settles, and a failure as well as a success', async () => {
    const metrics = new PlatformMetrics();
    const operations = heard(metrics);
    let finish: () => void = () => undefined;
    const inner: GenerationStore = {
      save: () => new Promise<void>((resolve) => (finish = resolve)),
      get: () => Promise.reject(new Error('disk gone')),
      list: () => {
        throw new Error('closed');
      },
      unfinished: () => [],
      prune: () => 0,
      delete: () => undefined,
      close: () => void operations.push('closed' as StoreOperation),
    };
    const store = new TimedGenerationStore(inner, metrics);
    const saving = store.save(record('b'));
    expect(saving).toBeInstanceOf(Promise);
    expect(operations).toEqual([]);
    finish();
    await saving;
    expect(operations).toEqual(['save']);
    await expect(store.get('b')).rejects.toThrow('disk gone');
    expect(() => store.list()).toThrow('closed');
    await store.close?.();
    expect(operations).toEqual(['save', 'get', 'list', 'closed']);
  });

  it('measures nothing while no one observes, and stops when told', () => {
    const metrics = new PlatformMetrics();
    const store = new TimedGenerationStore(new InMemoryGenerationStore(), metrics);
    store.save(record('c'));
    const operations: StoreOperation[] = [];
    const stop = metrics.observeStore((operation) => operations.push(operation));
    store.get('c');
    stop();
    store.get('c');
    expect(operations).toEqual(['get']);
    expect(metrics.storeObserved).toBe(false);
  });
});

describe('the platform’s metrics', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('give apps the relay’s store timings and a count of 429s by chat platform', async () => {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    cleanup.push(() => sim.stop());
    let operations: StoreOperation[] = [];
    const app: App = {
      name: 'observer',
      create: ({ metrics }) => {
        operations = heard(metrics);
        metrics.rateLimited({ platform: 'telegram', scope: 'chat', retryAfterMs: 1000 });
        return { name: 'observer', start: async () => undefined, stop: async () => undefined };
      },
    };
    const platform = await startPlatform({
      comfyUrls: [sim.url],
      plugins: [],
      apps: [app],
      logger: silentLogger,
      drainMs: 0,
    });
    cleanup.push(() => platform.stop());
    await platform.relay.ready();
    const job = await submitGraph(platform.relay, graph);
    await job.done;
    expect(operations).toContain('save');
    const { rateLimited } = platform.metrics;
    rateLimited({ platform: 'telegram', scope: 'global', retryAfterMs: 5 });
    expect([...platform.metrics.rateLimits()]).toEqual([['telegram', 2]]);
    expect(platform.store).toBeInstanceOf(TimedGenerationStore);
    expect((platform.store as TimedGenerationStore).inner).toBeInstanceOf(InMemoryGenerationStore);
  });
});

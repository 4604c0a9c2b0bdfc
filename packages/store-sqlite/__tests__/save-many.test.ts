import { describe, expect, it } from 'vitest';
import { SqliteGenerationStore } from '../src/index.js';
import { fullGeneration, generation } from './helpers/generations.js';

describe('saveMany: the transitions of a tick in one transaction', () => {
  it('writes every record, each as given, read back whole (its graph included)', () => {
    const store = SqliteGenerationStore.open({ file: ':memory:' });
    const full = fullGeneration('full');
    const graph = { '3': { class_type: 'KSampler', inputs: { seed: 1, model: ['4', 0] } } };
    const running = generation('running', 2, { status: 'running', graph, startedAt: 3 });
    store.saveMany([generation('queued', 1), running, full]);
    expect(store.get('full')).toEqual(full);
    expect(store.get('running')).toEqual(running);
    expect(store.unfinished().map((record) => record.id)).toEqual(['queued', 'running']);

    // The same graph object saved again with a new state: its JSON is reused, the rest is new.
    store.saveMany([{ ...running, status: 'succeeded', finishedAt: 9 }]);
    expect(store.get('running')).toEqual({ ...running, status: 'succeeded', finishedAt: 9 });
    store.save({ ...running, graph: {} });
    expect(store.get('running')?.graph).toEqual({});
    store.close();
  });

  it('writes all or none: a record that cannot be written leaves the others unwritten', () => {
    const store = SqliteGenerationStore.open({ file: ':memory:' });
    store.save(generation('a', 1));
    const broken = generation('b', 2, { parameters: { size: 1n } as never });
    expect(() => store.saveMany([generation('a', 1, { status: 'running' }), broken])).toThrow();
    expect(store.get('a')?.status).toBe('queued');
    expect(store.get('b')).toBeUndefined();
    store.close();
  });
});

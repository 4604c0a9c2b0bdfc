import { describe, expect, it } from 'vitest';
import type { RelayEvent } from '../src/events.js';
import type { GenerationStatus, StoredGeneration } from '../src/generation/GenerationState.js';
import { InMemoryGenerationStore } from '../src/generation/GenerationStore.js';
import { GenerationRegistry, type LiveGeneration } from '../src/generation/GenerationRegistry.js';
import { silentLogger } from '../src/util/Logger.js';

/** A store that commits per call, as SQLite does: it counts its `save`s and `saveMany`s. */
class CommittingStore extends InMemoryGenerationStore {
  readonly saves: string[] = [];
  readonly batches: [string, GenerationStatus][][] = [];

  override save(record: StoredGeneration): void {
    this.saves.push(record.id);
    super.save(record);
  }

  saveMany(records: readonly StoredGeneration[]): void {
    this.batches.push(records.map((record) => [record.id, record.status]));
    for (const record of records) super.save(record);
  }
}

class Entry implements LiveGeneration {
  status: GenerationStatus = 'queued';
  step = 0;
  constructor(readonly id: string) {}

  get isTerminal(): boolean {
    return this.status === 'succeeded';
  }

  readonly generation = { toRecord: () => this.toStored() };

  toStored(): StoredGeneration {
    return { id: this.id, promptId: `p-${this.id}`, status: this.status, createdAt: 1 };
  }
}

const started = (entry: Entry): RelayEvent =>
  ({ type: 'started', id: entry.id, promptId: `p-${entry.id}` }) as RelayEvent;
const progress = (entry: Entry): RelayEvent =>
  ({ type: 'progress', id: entry.id, promptId: `p-${entry.id}` }) as RelayEvent;
const endOfTick = () => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const store = new CommittingStore();
  const registry = new GenerationRegistry<Entry>(store, silentLogger);
  return { store, registry };
}

describe('a registry on a store that writes several records together (saveMany)', () => {
  it('writes a new record, and one written before its POST, at once', async () => {
    const { store, registry } = setup();
    const entry = new Entry('a');
    await registry.add(entry);
    expect(store.get('a')?.status).toBe('queued');
    entry.status = 'running';
    await registry.persist(entry);
    expect(store.get('a')?.status).toBe('running');
    expect(store.saves).toEqual(['a', 'a']);
    expect(store.batches).toEqual([]);
  });

  it("writes the transitions of one tick together at its end, each generation's once, as it then is", async () => {
    const { store, registry } = setup();
    const [a, b] = [new Entry('a'), new Entry('b')];
    await registry.add(a);
    await registry.add(b);
    a.status = b.status = 'running';
    registry.noted(a, started(a));
    registry.noted(b, started(b));
    a.status = 'succeeded';
    registry.retire(a);
    expect(store.get('a')?.status).toBe('queued');
    expect(store.batches).toEqual([]);

    await endOfTick();
    expect(store.batches).toEqual([
      [
        ['a', 'succeeded'],
        ['b', 'running'],
      ],
    ]);
    expect(store.get('a')?.status).toBe('succeeded');
    expect(store.get('b')?.status).toBe('running');
  });

  it('writes progress at most once a second per generation (the start counts as the first)', async () => {
    const { store, registry } = setup();
    const a = new Entry('a');
    await registry.add(a);
    a.status = 'running';
    registry.noted(a, started(a));
    for (let step = 0; step < 5; step++) registry.noted(a, progress(a));
    await endOfTick();
    for (let step = 0; step < 5; step++) {
      registry.noted(a, progress(a));
      await endOfTick();
    }
    expect(store.batches).toEqual([[['a', 'running']]]);
  });

  it('is read as it stands: a read through the registry sees what is not written yet', async () => {
    const { store, registry } = setup();
    const a = new Entry('a');
    await registry.add(a);
    a.status = 'succeeded';
    registry.retire(a);
    expect(registry.get('a')).toBeUndefined();
    expect((await registry.record('a'))?.status).toBe('succeeded');
    expect(await registry.store.get('a')).toMatchObject({ status: 'succeeded' });
    expect(store.batches).toEqual([[['a', 'succeeded']]]);
    await endOfTick();
    expect(store.batches).toHaveLength(1);
  });
});

describe('a registry on a store without saveMany', () => {
  it('writes every transition at once, as always', async () => {
    const store = new InMemoryGenerationStore();
    const registry = new GenerationRegistry<Entry>(store, silentLogger);
    const a = new Entry('a');
    await registry.add(a);
    a.status = 'running';
    registry.noted(a, started(a));
    expect(store.get('a')?.status).toBe('running');
    a.status = 'succeeded';
    registry.retire(a);
    expect(store.get('a')?.status).toBe('succeeded');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Logger } from '@comfyrelay/core';
import { waitFor } from '@comfyrelay/testkit';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteGenerationStore, type SqliteStoreError } from '../src/index.js';
import { fullGeneration, generation } from './helpers/generations.js';
import { useTemporaryDirectory } from './helpers/temporaryDirectory.js';

function recordingLogger() {
  const errors: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  const warnings: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => warnings.push({ message, fields }),
    error: (message, fields) => errors.push({ message, fields }),
  };
  return { logger, errors, warnings };
}

/** The nice value of each thread of this process (Linux). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((task) => {
    const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
    // Fields after the command (which may hold spaces): state is field 3, nice field 19.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[16]);
  });
}

describe('the writer thread: SQLite’s work off the relay’s thread', () => {
  const directory = useTemporaryDirectory();

  it('a read sees every record handed over before it, each as it was last saved', () => {
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    try {
      const graph = { '3': { class_type: 'KSampler', inputs: { seed: 1 } } };
      const first = generation('a', 1, { graph });
      store.save(first);
      for (let tick = 0; tick < 50; tick++)
        store.saveMany([
          { ...first, status: 'running', progress: { value: tick, max: 50 } as never },
          generation(`b${tick}`, 2 + tick),
        ]);
      store.saveMany([{ ...first, status: 'succeeded', finishedAt: 99 }]);
      expect(store.get('a')).toEqual({ ...first, status: 'succeeded', finishedAt: 99 });
      expect(store.unfinished()).toHaveLength(50);
      expect(store.list({ finished: true }).map((record) => record.id)).toEqual(['a']);
    } finally {
      store.close();
    }
  });

  it('commits a burst that saveMany handed over by itself, once it pauses: no read needed', async () => {
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    const other = new Database(join(directory(), 'comfyrelay.sqlite'), { readonly: true });
    try {
      for (let tick = 0; tick < 5; tick++) store.saveMany([generation(`g${tick}`, tick)]);
      const count = other.prepare('SELECT count(*) FROM generations').pluck();
      await waitFor(() => count.get() === 5, { what: 'the five records on file' });
    } finally {
      other.close();
      store.close();
    }
  });

  it('writes a graph once: later saves of the same generation keep it on file', () => {
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    const full = fullGeneration('full');
    store.save(full);
    store.saveMany([{ ...full, status: 'running' }]);
    store.close();

    const db = new Database(join(directory(), 'comfyrelay.sqlite'), { readonly: true });
    const row = db.prepare('SELECT record, graph FROM generations WHERE id = ?').get('full') as {
      record: string;
      graph: string;
    };
    db.close();
    expect(JSON.parse(row.graph)).toEqual(full.graph);
    expect(JSON.parse(row.record)).not.toHaveProperty('graph');

    const reopened = SqliteGenerationStore.open({ dataDir: directory(), retentionMs: Infinity });
    expect(reopened.get('full')).toEqual({ ...full, status: 'running' });
    reopened.close();
  });

  it('a graph object two generations share is on file in both rows', () => {
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    try {
      const graph = { '3': { class_type: 'KSampler', inputs: { seed: 1 } } };
      const [a, b] = [generation('a', 1, { graph }), generation('b', 2, { graph })];
      store.save(a);
      store.save(b);
      store.saveMany([
        { ...a, status: 'running' },
        { ...b, status: 'running' },
      ]);
      store.save({ ...a, status: 'succeeded', finishedAt: 3 });
      expect(store.get('a')?.graph).toEqual(graph);
      expect(store.get('b')?.graph).toEqual(graph);
    } finally {
      store.close();
    }
  });

  it('a record saved without its graph is read back without one', () => {
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    const full = fullGeneration('full');
    store.save(full);
    const { graph: _graph, ...withoutGraph } = full;
    store.save(withoutGraph);
    expect(store.get('full')).toEqual(withoutGraph);
    store.close();
  });

  it('a write that fails while nobody waits is logged in words; a save that fails throws', () => {
    const { logger, errors } = recordingLogger();
    const store = SqliteGenerationStore.open({ dataDir: directory(), busyTimeoutMs: 20, logger });
    const other = new Database(join(directory(), 'comfyrelay.sqlite'));
    try {
      other.exec('BEGIN IMMEDIATE');
      store.saveMany([generation('lost', 1), generation('lost-too', 2)]);
      let thrown: unknown;
      try {
        store.save(generation('refused', 3));
      } catch (error) {
        thrown = error;
      }
      expect((thrown as SqliteStoreError).problem).toBe('locked');
      expect(errors).toEqual([
        {
          message: 'could not save generations',
          fields: {
            count: 2,
            error: `the database ${join(directory(), 'comfyrelay.sqlite')} is locked by another process`,
          },
        },
      ]);
      other.exec('ROLLBACK');
      store.saveMany([generation('later', 4)]);
      expect(store.get('later')?.status).toBe('queued');
      expect(store.get('lost')).toBeUndefined();
    } finally {
      other.close();
      store.close();
    }
  });

  it('if the thread ends, what it had not written is written on the caller’s thread, and so is what follows', async () => {
    const { logger, warnings } = recordingLogger();
    const store = SqliteGenerationStore.open({ dataDir: directory(), logger });
    const worker = (store as unknown as { writer: { worker: Worker } }).writer.worker;
    const ended = new Promise((resolve) => worker.once('exit', resolve));
    // Handed over as the thread is stopped: written by it or, unanswered, written again.
    store.saveMany([generation('before', 0)]);
    await worker.terminate();
    await ended;
    store.saveMany([generation('after', 1)]);
    store.save(generation('durable', 2));
    expect(store.get('before')?.id).toBe('before');
    expect(store.get('after')?.id).toBe('after');
    expect(store.get('durable')?.id).toBe('durable');
    expect(warnings.map((warning) => warning.message)).toEqual([
      'the store’s writer thread ended: writing on the relay’s thread',
    ]);
    store.close();
  });

  /** Writer threads still ending (a store closed by an earlier test) are gone first. */
  const noWriterThreads = () =>
    waitFor(() => !threadNiceValues().includes(19), { what: 'earlier writer threads to end' });

  it.runIf(process.platform === 'linux')('runs at the lowest CPU priority', async () => {
    await noWriterThreads();
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    try {
      expect(threadNiceValues().filter((nice) => nice === 19)).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it.runIf(process.platform === 'linux')(
    'writerThread: false writes on the caller’s thread, as a database in memory is',
    async () => {
      await noWriterThreads();
      const store = SqliteGenerationStore.open({ dataDir: directory(), writerThread: false });
      expect(threadNiceValues()).not.toContain(19);
      store.saveMany([generation('a', 1)]);
      expect(store.get('a')?.id).toBe('a');
      store.close();
    },
  );

  it('takes a reconnect’s burst in one hand-over: 20,000 records, with graphs', () => {
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    try {
      const graph = { '3': { class_type: 'KSampler', inputs: { seed: 1 } } };
      store.saveMany(
        Array.from({ length: 20_000 }, (_, index) => generation(`g${index}`, index, { graph })),
      );
      store.saveMany([generation('after', 20_001)]);
      const unfinished = store.unfinished();
      expect(unfinished).toHaveLength(20_001);
      expect(unfinished[19_999]).toEqual(generation('g19999', 19_999, { graph }));
    } finally {
      store.close();
    }
  });

  it('close waits for the thread to write everything handed over', () => {
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    store.saveMany(Array.from({ length: 500 }, (_, index) => generation(`g${index}`, index)));
    store.close();
    const reopened = SqliteGenerationStore.open({ dataDir: directory() });
    expect(reopened.unfinished()).toHaveLength(500);
    reopened.close();
  });
});

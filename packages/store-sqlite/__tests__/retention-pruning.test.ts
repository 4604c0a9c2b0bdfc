import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '@comfyrelay/core';
import { SqliteGenerationStore } from '../src/index.js';
import { finished, generation } from './helpers/generations.js';
import { useTemporaryDirectory } from './helpers/temporaryDirectory.js';

const day = 24 * 60 * 60 * 1000;

function recordingLogger(): Logger & { infos: unknown[][] } {
  const infos: unknown[][] = [];
  return { infos, debug() {}, info: (...args) => void infos.push(args), warn() {}, error() {} };
}

describe('retention', () => {
  const directory = useTemporaryDirectory();
  afterEach(() => {
    vi.useRealTimers();
  });

  it('prunes at open what finished more than retentionMs ago (30 days by default)', () => {
    const now = Date.now();
    const writer = SqliteGenerationStore.open({ dataDir: directory(), retentionMs: Infinity });
    writer.save(finished('expired', now - 41 * day, now - 40 * day));
    writer.save(finished('kept', now - 11 * day, now - 10 * day, 'failed'));
    writer.save(generation('waiting-for-ages', now - 60 * day));
    writer.close();

    const logger = recordingLogger();
    const store = SqliteGenerationStore.open({ dataDir: directory(), logger });
    expect(store.get('expired')).toBeUndefined();
    expect(store.list().map((record) => record.id)).toEqual(['kept', 'waiting-for-ages']);
    expect(logger.infos).toEqual([['pruned finished generations', { pruned: 1 }]]);
    store.close();
  });

  it('prunes again every pruneEveryMs, and stops when closed', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const store = SqliteGenerationStore.open({
      file: ':memory:',
      retentionMs: 10_000,
      pruneEveryMs: 1_000,
    });
    store.save(finished('done', Date.now() - 5_000, Date.now()));
    expect(vi.getTimerCount()).toBe(1);

    vi.advanceTimersByTime(10_000);
    expect(store.get('done')).toBeDefined();
    vi.advanceTimersByTime(1_000);
    expect(store.get('done')).toBeUndefined();

    store.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps everything with retentionMs: Infinity, and runs no timer', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const store = SqliteGenerationStore.open({ file: ':memory:', retentionMs: Infinity });
    store.save(finished('ancient', 0, 1));
    expect(store.pruneExpired()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(store.get('ancient')).toBeDefined();
    store.close();
  });
});

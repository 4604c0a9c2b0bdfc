import {
  terminalStatuses,
  type GenerationStatus,
  type GenerationStore,
  type StoredGeneration,
} from '@comfyrelay/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finished, fullGeneration, generation } from './generations.js';

const allStatuses: GenerationStatus[] = [
  'submitted',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
];

const ids = (records: StoredGeneration[]) => records.map((record) => record.id);

/**
 * What every GenerationStore must do, whatever it keeps its records in. Each test saves fewer
 * than 100 records, below InMemoryGenerationStore's default capacity (1 000), which is the only
 * case where that store forgets finished records.
 */
export function describeGenerationStoreContract(
  name: string,
  openStore: () => GenerationStore,
): void {
  describe(`${name} keeps the GenerationStore contract`, () => {
    let store: GenerationStore;
    beforeEach(() => {
      store = openStore();
    });
    afterEach(async () => {
      await store.close?.();
    });

    it('gives back a full record as it was saved, every nested field included', async () => {
      const record = fullGeneration();
      await store.save(record);
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.get('never-saved')).toBeUndefined();
    });

    it('keeps a generation that waits in our own queue, with no backend yet, and its end', async () => {
      const waiting = generation('waiting', 1_000, { status: 'queued' });
      delete waiting.backend;
      await store.save(waiting);
      expect(await store.get('waiting')).toEqual(waiting);
      expect(ids(await store.unfinished())).toEqual(['waiting']);
      const cancelled = { ...waiting, status: 'cancelled' as const, finishedAt: 2_000 };
      await store.save(cancelled);
      expect(await store.get('waiting')).toEqual(cancelled);
      expect(await store.unfinished()).toEqual([]);
    });

    it('replaces the record with the same id on save (upsert)', async () => {
      await store.save(generation('a', 1_000, { status: 'submitted' }));
      await store.save(
        generation('a', 1_000, {
          status: 'running',
          startedAt: 1_500,
          progress: { fraction: 0.25, phase: 'sampling 5/20' },
        }),
      );
      await store.save(finished('a', 1_000, 2_000));
      expect(await store.get('a')).toEqual(finished('a', 1_000, 2_000));
      expect(ids(await store.list())).toEqual(['a']);
      expect(await store.unfinished()).toEqual([]);
    });

    it('takes up every record not yet succeeded, failed or cancelled, oldest first', async () => {
      // Saved out of creation order: the order must come from createdAt, not from the saves.
      const createdAt = [5_000, 1_000, 4_000, 2_000, 6_000, 3_000];
      const saved = allStatuses.map((status, index) =>
        generation(`g-${status}`, createdAt[index]!, {
          status,
          ...(terminalStatuses.has(status) ? { finishedAt: 9_000 } : {}),
          origin: { platform: 'telegram', userId: '7', replyTo: { chatId: 1, messageId: index } },
        }),
      );
      for (const record of saved) await store.save(record);
      const unfinished = await store.unfinished();
      expect(ids(unfinished)).toEqual(['g-queued', 'g-running', 'g-submitted']);
      expect(unfinished).toEqual([saved[1], saved[2], saved[0]]);
    });

    describe('list', () => {
      beforeEach(async () => {
        await store.save(finished('d1', 1_000, 1_100));
        await store.save(
          generation('t1', 2_000, { origin: { platform: 'telegram', userId: 'u1' } }),
        );
        await store.save({
          ...finished('d2', 3_000, 3_100, 'failed'),
          origin: { platform: 'discord', userId: 'u1' },
        });
        await store.save(
          generation('d3', 4_000, { origin: { platform: 'discord', userId: 'u2' } }),
        );
        await store.save({
          ...finished('d4', 5_000, 5_100, 'cancelled'),
          origin: { platform: 'discord', userId: 'u1' },
        });
        await store.save(generation('c1', 6_000, { status: 'running' }));
      });

      it('answers most recent first, 50 at most by default', async () => {
        expect(ids(await store.list())).toEqual(['c1', 'd4', 'd3', 'd2', 't1', 'd1']);
        for (let index = 0; index < 60; index += 1)
          await store.save(generation(`bulk-${index}`, 10_000 + index));
        const page = await store.list();
        expect(page).toHaveLength(50);
        expect(page[0]?.id).toBe('bulk-59');
      });

      it('stops at limit and pages back with before', async () => {
        expect(ids(await store.list({ limit: 2 }))).toEqual(['c1', 'd4']);
        expect(ids(await store.list({ limit: 2, before: 5_000 }))).toEqual(['d3', 'd2']);
        expect(ids(await store.list({ before: 1_000 }))).toEqual([]);
      });

      it("keeps one requester's records, on one platform or on any", async () => {
        expect(ids(await store.list({ requester: { userId: 'u1' } }))).toEqual(['d4', 'd2', 't1']);
        expect(ids(await store.list({ requester: { platform: 'discord', userId: 'u1' } }))).toEqual(
          ['d4', 'd2'],
        );
        expect(await store.list({ requester: { platform: 'cli', userId: 'u1' } })).toEqual([]);
      });

      it('keeps the finished, or the unfinished, records', async () => {
        expect(ids(await store.list({ finished: true }))).toEqual(['d4', 'd2', 'd1']);
        expect(ids(await store.list({ finished: false }))).toEqual(['c1', 'd3', 't1']);
      });

      it('combines its options', async () => {
        const options = { requester: { userId: 'u1' }, finished: true, before: 5_000, limit: 5 };
        expect(ids(await store.list(options))).toEqual(['d2']);
      });
    });

    it('prunes the records that finished before a time and says how many', async () => {
      await store.save(finished('old', 1_000, 2_000));
      await store.save(finished('older', 500, 1_500, 'failed'));
      await store.save(finished('at-the-cut', 1_200, 3_000, 'cancelled'));
      await store.save(finished('recent', 1_300, 4_000));
      await store.save(generation('waiting-since-long', 100));
      expect(await store.prune(3_000)).toBe(2);
      expect(await store.get('old')).toBeUndefined();
      expect(await store.get('older')).toBeUndefined();
      expect(ids(await store.list())).toEqual(['recent', 'at-the-cut', 'waiting-since-long']);
      expect(await store.prune(3_000)).toBe(0);
    });

    it('deletes one record, and an unknown id quietly', async () => {
      await store.save(generation('keep', 1_000));
      await store.save(generation('drop', 2_000));
      await store.delete('drop');
      await store.delete('never-saved');
      expect(await store.get('drop')).toBeUndefined();
      expect(ids(await store.list())).toEqual(['keep']);
      expect(ids(await store.unfinished())).toEqual(['keep']);
    });

    it('keeps the lineage of follow-ups', async () => {
      await store.save(finished('parent', 1_000, 2_000));
      await store.save(generation('child', 3_000, { parentId: 'parent', action: 'reroll' }));
      expect(await store.get('child')).toMatchObject({ parentId: 'parent', action: 'reroll' });
    });
  });
}

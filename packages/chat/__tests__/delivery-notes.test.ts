import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DeliveryNotes, InMemorySettingsStore, NOTE_KEEP_MS } from '../src/index.js';

const ref = (messageId: string) => ({ target: { chatId: 'room' }, messageId });

describe('delivery notes (what a restart reads back)', () => {
  it('keep where a job moved and whether its final was shown, under their own namespace', async () => {
    const settings = new InMemorySettingsStore();
    const notes = new DeliveryNotes(settings, 'telegram', () => 5_000);
    const job = randomUUID();
    expect(await notes.lookup(job)).toBeUndefined();
    await notes.moved(job, ref('m2'));
    expect(await notes.lookup(job)).toEqual({ at: 5_000, message: ref('m2') });
    await notes.ended(job, { shown: false });
    expect(await notes.lookup(job)).toEqual({ at: 5_000, message: ref('m2'), final: 'given-up' });
    await notes.ended(job, { shown: true, message: ref('m3') });
    expect(await notes.lookup(job)).toEqual({ at: 5_000, message: ref('m3'), final: 'shown' });
    // A user's /settings are elsewhere: nothing of this shows there.
    expect(settings.getSettings('telegram', job)).toEqual({});
  });

  it('stay within a fixed number of rows, and drop notes older than two days as rows are written', async () => {
    const writes = new Set<string>();
    const settings = new (class extends InMemorySettingsStore {
      override saveSettings(namespace: string, key: string, values: Record<string, unknown>) {
        writes.add(`${namespace}/${key}`);
        return super.saveSettings(namespace, key, values);
      }
    })();
    let now = 1_000_000;
    const notes = new DeliveryNotes(settings, 'fake', () => now);
    const old = Array.from({ length: 3_000 }, (_, i) => `old-${i}`);
    for (const job of old) await notes.ended(job, { shown: true, message: ref(job) });
    expect(writes.size).toBeLessThanOrEqual(1_024);
    for (const job of old.slice(0, 50)) expect((await notes.lookup(job))?.final, job).toBe('shown');

    now += NOTE_KEEP_MS + 1;
    const fresh = Array.from({ length: 5_000 }, (_, i) => `fresh-${i}`);
    for (const job of fresh) await notes.moved(job, ref(job));
    const left = await Promise.all(old.map((job) => notes.lookup(job)));
    // Nearly every row was written again, and with it its old notes went; the fresh ones stay.
    expect(left.filter((note) => note !== undefined).length).toBeLessThan(old.length / 50);
    for (const job of fresh.slice(0, 50))
      expect((await notes.lookup(job))?.message).toEqual(ref(job));
  });
});

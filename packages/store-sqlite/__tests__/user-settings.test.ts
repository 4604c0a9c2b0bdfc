import { describe, expect, it } from 'vitest';
import { SqliteGenerationStore } from '../src/index.js';
import { useTemporaryDirectory } from './helpers/temporaryDirectory.js';

describe('per-user settings', () => {
  const directory = useTemporaryDirectory();

  it('answers {} for a user who saved nothing', () => {
    const store = SqliteGenerationStore.open({ file: ':memory:' });
    expect(store.getSettings('discord', 'nobody')).toEqual({});
    store.close();
  });

  it('merges each save into what was there and returns the result', () => {
    const store = SqliteGenerationStore.open({ file: ':memory:' });
    expect(store.saveSettings('discord', 'u1', { aspectRatio: '16:9', steps: 30 })).toEqual({
      aspectRatio: '16:9',
      steps: 30,
    });
    const merged = store.saveSettings('discord', 'u1', {
      steps: 40,
      model: 'sd_xl_base_1.0.safetensors',
      loras: [{ name: 'ink', strength: 0.8 }],
    });
    expect(merged).toEqual({
      aspectRatio: '16:9',
      steps: 40,
      model: 'sd_xl_base_1.0.safetensors',
      loras: [{ name: 'ink', strength: 0.8 }],
    });
    expect(store.getSettings('discord', 'u1')).toEqual(merged);
    store.close();
  });

  it('forgets a key saved as undefined', () => {
    const store = SqliteGenerationStore.open({ file: ':memory:' });
    store.saveSettings('telegram', '42', { model: 'flux', steps: 20 });
    expect(store.saveSettings('telegram', '42', { model: undefined })).toEqual({ steps: 20 });
    store.close();
  });

  it('keeps the same user id on two platforms apart', () => {
    const store = SqliteGenerationStore.open({ file: ':memory:' });
    store.saveSettings('discord', '42', { steps: 10 });
    store.saveSettings('telegram', '42', { steps: 50 });
    expect(store.getSettings('discord', '42')).toEqual({ steps: 10 });
    expect(store.getSettings('telegram', '42')).toEqual({ steps: 50 });
    store.close();
  });

  it('outlives the process that saved them', () => {
    const writer = SqliteGenerationStore.open({ dataDir: directory() });
    writer.saveSettings('discord', 'u1', { aspectRatio: '2:3' });
    writer.close();
    const reader = SqliteGenerationStore.open({ dataDir: directory() });
    expect(reader.getSettings('discord', 'u1')).toEqual({ aspectRatio: '2:3' });
    reader.close();
  });
});

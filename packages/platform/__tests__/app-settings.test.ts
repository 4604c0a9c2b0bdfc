import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { silentLogger, type Frontend } from '@comfyrelay/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlatform, type App, type AppContext } from '../src/index.js';

/** An app that keeps the context it was created with. */
function recorder(): { app: App; context(): AppContext } {
  let seen: AppContext | undefined;
  return {
    app: {
      name: 'recorder',
      create: (context): Frontend => {
        seen = context;
        return { name: 'recorder', start: async () => undefined, stop: async () => undefined };
      },
    },
    context: () => seen!,
  };
}

describe('the settings store an app gets', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('is kept in the data directory across a restart, in memory without one', async () => {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    const dataDir = await mkdtemp(join(tmpdir(), 'comfyrelay-platform-settings-'));
    cleanup.push(
      () => rm(dataDir, { recursive: true, force: true }),
      () => sim.stop(),
    );
    const options = { comfyUrls: [sim.url], plugins: [], logger: silentLogger, drainMs: 0 };

    const first = recorder();
    const durable = await startPlatform({ ...options, dataDir, apps: [first.app] });
    const settings = first.context().settings;
    expect(await settings.saveSettings('telegram', '42', { steps: 30, aspect: '16:9' })).toEqual({
      steps: 30,
      aspect: '16:9',
    });
    await settings.saveSettings('telegram', '42', { aspect: undefined });
    await durable.stop();

    const second = recorder();
    const again = await startPlatform({ ...options, dataDir, apps: [second.app] });
    cleanup.push(() => again.stop());
    expect(await second.context().settings.getSettings('telegram', '42')).toEqual({ steps: 30 });
    expect(await second.context().settings.getSettings('discord', '42')).toEqual({});

    const third = recorder();
    const inMemory = await startPlatform({ ...options, apps: [third.app] });
    cleanup.push(() => inMemory.stop());
    const memory = third.context().settings;
    expect(await memory.getSettings('telegram', '42')).toEqual({});
    await memory.saveSettings('telegram', '42', { steps: 12, seed: 1 });
    expect(await memory.saveSettings('telegram', '42', { seed: undefined })).toEqual({ steps: 12 });
    expect(await memory.getSettings('telegram', '42')).toEqual({ steps: 12 });
  });
});

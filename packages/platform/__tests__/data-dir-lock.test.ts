import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { silentLogger } from '@comfyrelay/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, startPlatform } from '../src/index.js';

describe('one platform per data directory', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setUp() {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
    const dataDir = await mkdtemp(join(tmpdir(), 'comfyrelay-lock-'));
    cleanup.push(
      () => rm(dataDir, { recursive: true, force: true }),
      () => sim.stop(),
    );
    const options = { comfyUrls: [sim.url], dataDir, plugins: [], apps: [], logger: silentLogger };
    return { dataDir, options };
  }

  it('a second platform on the same data directory is refused in words, and may start once the first stopped', async () => {
    const { dataDir, options } = await setUp();
    const first = await startPlatform(options);
    const refused = startPlatform(options);
    await expect(refused).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(refused).rejects.toThrow(
      `The data directory ${dataDir} is in use by another comfyrelay (process ${process.pid}). Stop it first, or give this one its own data directory.`,
    );
    await first.stop();
    const second = await startPlatform(options);
    await second.stop();
  });

  it('takes over a lock left by a process that died', async () => {
    const { dataDir, options } = await setUp();
    const gone = spawnSync(process.execPath, ['-e', '']); // a process id nobody holds now
    await writeFile(join(dataDir, 'comfyrelay.lock'), `${gone.pid} ${hostname()}\n`);
    const platform = await startPlatform(options);
    await platform.stop();
  });
});

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnNode } from '@comfyrelay/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteGenerationStore } from '../src/index.js';
import { useTemporaryDirectory } from './helpers/temporaryDirectory.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const childScript = fileURLToPath(new URL('./fixtures/storeChild.mjs', import.meta.url));
const statusRank = { running: 0, succeeded: 1 } as const;

function acknowledgedSaves(stdout: string): Map<string, keyof typeof statusRank> {
  const latest = new Map<string, keyof typeof statusRank>();
  for (const [, id, status] of stdout.matchAll(/^saved (\S+) (running|succeeded)$/gm))
    latest.set(id!, status as keyof typeof statusRank);
  return latest;
}

describe('a store written by a process that is killed', () => {
  const directory = useTemporaryDirectory();

  beforeAll(() => {
    if (!existsSync(new URL('../dist/index.js', import.meta.url)))
      throw new Error('the child runs the built store: run `pnpm build` first');
  });

  it.each([
    ['whose save returned', 'keep-saving'],
    ['handed to saveMany and followed by a read that returned', 'keep-saving-many'],
  ])('keeps every record %s before SIGKILL', async (_, mode) => {
    const run = spawnNode(childScript, [directory(), mode], { cwd: packageDirectory });
    await run.waitForStdout(/^saved gen-200 succeeded$/m);
    run.child.kill('SIGKILL');
    await run.exit;

    const acknowledged = acknowledgedSaves(run.stdout());
    expect(acknowledged.size).toBeGreaterThan(200);
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    try {
      for (const [id, status] of acknowledged) {
        const stored = store.get(id);
        expect(stored, `${id} was acknowledged as ${status}`).toBeDefined();
        // A save that was under way when the kill came may have landed too: never less.
        expect(statusRank[stored!.status as keyof typeof statusRank]).toBeGreaterThanOrEqual(
          statusRank[status],
        );
      }
    } finally {
      store.close();
    }
  });

  it('lets the process end by itself while the store is open (the pruning timer is unref’d)', async () => {
    const run = spawnNode(childScript, [directory(), 'save-once'], { cwd: packageDirectory });
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toBe('saved gen-0 running\n');
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    expect(store.get('gen-0')?.status).toBe('running');
    store.close();
  });

  it('commits what saveMany handed over when the process ends by itself, without close()', async () => {
    const run = spawnNode(childScript, [directory(), 'save-many-and-end'], {
      cwd: packageDirectory,
    });
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toBe('handed over gen-0 gen-1\n');
    const store = SqliteGenerationStore.open({ dataDir: directory() });
    expect(store.unfinished().map((record) => record.id)).toEqual(['gen-0', 'gen-1']);
    store.close();
  });
});

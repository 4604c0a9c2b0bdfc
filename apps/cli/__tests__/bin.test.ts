import { readFile } from 'node:fs/promises';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBin, spawnBin as spawnIn } from './helpers/childBin.js';
import { fixture, PNG_MAGIC, tempDir } from './helpers/capture.js';

let sim: ComfySimulator;
let out: { path: string; remove(): Promise<void> };

beforeAll(async () => {
  // The end-to-end test runs what `tsc -b` builds, as the `comfyrelay` bin would.
  await buildBin();
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: 5 });
  out = await tempDir();
}, 180_000);

afterAll(async () => {
  await sim?.stop();
  await out?.remove();
});

function spawnBin(args: string[], env?: Record<string, string>) {
  const run = spawnIn(args, { cwd: out.path, ...(env ? { env } : {}) });
  return { ...run, out: run.stdout, err: run.stderr, waitFor: run.waitForStdout };
}

describe('the built comfyrelay binary', () => {
  it('runs a workflow with --json end to end', async () => {
    const run = spawnBin([
      'run',
      fixture('progress_save.json'),
      '--json',
      '--comfy',
      sim.url,
      '--count',
      '2',
      '--set',
      '1.steps=3',
      '--out',
      'saved',
    ]);
    expect(await run.exit).toBe(0);
    expect(run.err()).toBe('');
    const lines = run
      .out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; outputs?: string[]; stepTotal?: number });
    expect(lines.filter((line) => line.type === 'succeeded')).toHaveLength(2);
    expect(
      lines.filter((line) => line.type === 'progress' && line.stepTotal === 3).length,
    ).toBeGreaterThan(0);
    for (const line of lines.filter((l) => l.type === 'succeeded')) {
      const data = await readFile(line.outputs?.[0] as string);
      expect(data.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    }
  });

  it('prints --version and --help; exits 2 on an unknown command', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const version = spawnBin(['--version']);
    expect(await version.exit).toBe(0);
    expect(version.out().trim()).toBe(manifest.version);
    const help = spawnBin(['run', '--help']);
    expect(await help.exit).toBe(0);
    expect(help.out()).toContain('Usage: comfyrelay run');
    const unknown = spawnBin(['frobnicate']);
    expect(await unknown.exit).toBe(2);
    expect(unknown.err()).toContain('there is no command "frobnicate"');
  });

  it('runs the simulator in the foreground and stops it on SIGINT', async () => {
    const simulator = spawnBin(['sim', '--port', '0']);
    await simulator.waitFor(/listening on (http:\S+)/);
    const url = /listening on (http:\S+)/.exec(simulator.out())?.[1] as string;
    const stats = (await (await fetch(`${url}/system_stats`)).json()) as { system: unknown };
    expect(stats.system).toBeDefined();
    simulator.child.kill('SIGINT');
    expect(await simulator.exit).toBe(0);
    expect(simulator.out()).toContain('simulator stopped');
  });

  it('under a package script, the Ctrl-C pnpm forwards is not a second one: start stops cleanly, exit 0', async () => {
    // What `pnpm start` delivers on Ctrl-C: the terminal's SIGINT, then the one pnpm forwards.
    const service = spawnBin(['start', '--port', '0'], { npm_lifecycle_event: 'start' });
    await service.waitFor(/Press Ctrl-C to stop/);
    service.child.kill('SIGINT');
    await service.waitFor(/stopping: /);
    service.child.kill('SIGINT');
    expect(await service.exit).toBe(0);
    expect(service.out()).toMatch(
      /\nstopping: taking no new work; nothing is running on ComfyUI…\nstopped\n$/,
    );
  });
});

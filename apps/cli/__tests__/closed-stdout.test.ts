import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, tempDir } from './helpers/capture.js';
import { buildBin, spawnBin } from './helpers/childBin.js';

/**
 * `comfyrelay run … --json | head -1`: a reader that takes one line and closes the pipe. The
 * built binary must treat it like Ctrl-C: cancel what it has in flight on the server (the
 * running prompt interrupted, the waiting one deleted), and exit non-zero (141, as a shell
 * reports SIGPIPE), instead of exiting 0 and leaving its prompts running.
 */

let sim: ComfySimulator;
let out: Awaited<ReturnType<typeof tempDir>>;

beforeAll(buildBin, 180_000);

beforeEach(async () => {
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: 20 });
  out = await tempDir();
});

afterEach(async () => {
  await sim?.stop();
  await out?.remove();
});

describe('a closed stdout', () => {
  it('after the first JSON line: the run is cancelled on the server and exits 141', async () => {
    const started = sim.nextEvent('execution-start', undefined, 60_000);
    const run = spawnBin(
      [
        'run',
        fixture('progress_save.json'),
        '--json',
        '--count',
        '2',
        '--set',
        '1.steps=10000',
        '--comfy',
        sim.url,
        '--out',
        out.path,
      ],
      { cwd: out.path },
    );
    // Hold the reader until one prompt runs, so there is something in flight to cancel.
    const { promptId } = await run.whileRunning(started);
    const interrupted = sim.nextEvent('execution-end', (e) => e.promptId === promptId, 60_000);
    await run.waitForStdout(/\n/);
    const [firstLine] = run.stdout().split('\n');
    expect(JSON.parse(firstLine as string)).toMatchObject({ type: 'submitted' });
    run.child.stdout.destroy();

    expect(await run.exit).toBe(141);
    expect((await interrupted).status).toBe('interrupted');
    expect(sim.queueSnapshot()).toEqual({ running: [], pending: [] });
    expect(run.stderr()).toBe(
      'comfyrelay warn: the output was closed: cancelling the generations still running or queued\n',
    );
  });

  it('of a command that only prints: exits 141 too, like any program killed by SIGPIPE', async () => {
    const run = spawnBin(['workflows', '--json'], { cwd: out.path });
    run.child.stdout.destroy();
    expect(await run.exit).toBe(141);
    expect(run.stderr()).toBe('');
  });
});

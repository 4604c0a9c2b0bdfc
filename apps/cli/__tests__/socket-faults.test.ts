import { readFile } from 'node:fs/promises';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { FaultProxy } from '@comfyrelay/testkit';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildBin, spawnBin, type BinRun } from './helpers/childBin.js';
import { fixture, PNG_MAGIC, tempDir } from './helpers/capture.js';

/**
 * Issue #6, as users meet it: the BUILT `comfyrelay run` in a child process, talking to the
 * simulator through a TCP proxy that cuts, half-opens and refuses. The relay in a test process
 * could never show a CLI that exits mid-run: the test's own event loop keeps it alive.
 */

const STEPS = 30;
const STEP_MS = 20;
/** Steps wait this long while a test holds a prompt still (released by setStepDelay(STEP_MS)). */
const HOLD_MS = 600_000;

let sim: ComfySimulator;
let proxy: FaultProxy;
let out: { path: string; remove(): Promise<void> };

beforeAll(buildBin, 180_000);

beforeEach(async () => {
  sim = await ComfySimulator.start({ port: 0, stepDelayMs: STEP_MS });
  proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: sim.port } });
  out = await tempDir();
});

afterEach(async () => {
  await proxy?.stop();
  await sim?.stop();
  await out?.remove();
});

interface Line {
  type: string;
  index: number;
  promptId: string | null;
  step?: number | null;
  stepTotal?: number | null;
  outputs?: string[];
  error?: { message: string; code?: string };
}

function runTwo(extra: string[] = []): BinRun {
  return spawnBin(
    [
      'run',
      fixture('progress_save.json'),
      '--json',
      '--count',
      '2',
      '--set',
      `1.steps=${STEPS}`,
      '--comfy',
      proxy.url,
      '--out',
      'saved',
      ...extra,
    ],
    { cwd: out.path },
  );
}

function linesOf(run: BinRun): Line[] {
  return run.json() as unknown as Line[];
}

/** Progress lines of one prompt strictly between its start and its end. */
function liveSteps(lines: Line[], promptId: string): number[] {
  return lines.flatMap((line) =>
    line.type === 'progress' &&
    line.promptId === promptId &&
    line.step &&
    line.stepTotal &&
    line.step < line.stepTotal
      ? [line.step]
      : [],
  );
}

async function expectSavedPng(line: Line | undefined): Promise<void> {
  expect(line?.outputs).toHaveLength(1);
  const data = await readFile(line!.outputs![0]!);
  expect(data.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
}

async function expectBothSucceeded(run: BinRun): Promise<Line[]> {
  expect(await run.exit).toBe(0);
  const lines = linesOf(run);
  const terminal = lines.filter((l) => ['succeeded', 'failed', 'cancelled'].includes(l.type));
  expect(terminal.map((l) => [l.index, l.type]).sort()).toEqual([
    [1, 'succeeded'],
    [2, 'succeeded'],
  ]);
  for (const line of terminal) await expectSavedPng(line);
  return lines;
}

/**
 * Hold every step still once the first prompt reaches `step`, and wait until the run has printed
 * a live progress line of it: progress before the fault. Returns the prompt id.
 */
async function holdAtStep(run: BinRun, step: number): Promise<string> {
  const reached = await run.whileRunning(sim.nextEvent('step', (e) => e.value >= step, 30_000));
  sim.setStepDelay(HOLD_MS);
  await run.waitForStdout(
    new RegExp(
      `"type":"progress"[^\\n]*"promptId":"${reached.promptId}"[^\\n]*"step":${reached.value}`,
    ),
  );
  return reached.promptId;
}

const ourSocketOpens = () => sim.nextEvent('ws-open', undefined, 30_000);

describe('comfyrelay run survives what real ComfyUI sockets do (child process, through a proxy)', () => {
  it('a cut mid-run: reconnects, live progress goes on, both images saved, exit 0', async () => {
    const run = runTwo();
    const running = await holdAtStep(run, 3);
    const reopened = ourSocketOpens();
    expect(proxy.cutWebSockets()).toBe(1);
    await run.whileRunning(reopened);
    sim.setStepDelay(STEP_MS);

    const lines = await expectBothSucceeded(run);
    // Steps of the running prompt after the cut reached the output live, not only its end.
    expect(Math.max(...liveSteps(lines, running))).toBeGreaterThan(3);
    expect(run.stderr()).toBe('');
  });

  it('two cuts mid-run: each one survived', async () => {
    const run = runTwo();
    const running = await holdAtStep(run, 3);
    let reopened = ourSocketOpens();
    proxy.cutWebSockets();
    await run.whileRunning(reopened);
    sim.setStepDelay(STEP_MS);
    await holdAtStep(run, 10);
    reopened = ourSocketOpens();
    proxy.cutWebSockets({ mode: 'end' });
    await run.whileRunning(reopened);
    sim.setStepDelay(STEP_MS);

    const lines = await expectBothSucceeded(run);
    expect(Math.max(...liveSteps(lines, running))).toBeGreaterThan(10);
  });

  it('a cut that leaves the server side half-open for 3 s: the socket goes deaf later, is caught and replaced', async () => {
    const run = runTwo();
    const first = await holdAtStep(run, 3);
    const firstOpen = sim.connectedClientIds()[0]!;
    const reopened = ourSocketOpens();
    expect(proxy.cutWebSockets({ halfOpenMs: 3_000 })).toBe(1);
    await run.whileRunning(reopened);
    // 3 s later the stale server-side socket closes and takes our new socket's entry with it.
    await run.whileRunning(sim.nextEvent('ws-close', (e) => e.clientId === firstOpen, 30_000));
    expect(sim.connectedClientIds()).not.toContain(firstOpen);

    // The first prompt ends unheard; hold the second still until the relay has a healthy socket.
    const secondStarts = sim.nextEvent('execution-start', (e) => e.promptId !== first, 30_000);
    const replaced = ourSocketOpens();
    sim.setStepDelay(STEP_MS);
    const second = (await run.whileRunning(secondStarts)).promptId;
    sim.setStepDelay(HOLD_MS);
    await run.whileRunning(replaced);
    sim.setStepDelay(STEP_MS);

    const lines = await expectBothSucceeded(run);
    expect(liveSteps(lines, second).length).toBeGreaterThan(0);
  });

  it('ComfyUI restarts mid-run: the running prompt fails in words, the waiting one is posted again', async () => {
    const run = runTwo();
    const running = await holdAtStep(run, 3);
    const reopened = ourSocketOpens();
    await sim.restart();
    sim.setStepDelay(STEP_MS);
    await run.whileRunning(reopened);

    expect(await run.exit).toBe(1);
    const lines = linesOf(run);
    const failed = lines.filter((l) => l.type === 'failed');
    const succeeded = lines.filter((l) => l.type === 'succeeded');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.promptId).toBe(running);
    expect(failed[0]?.error?.message).toMatch(/ComfyUI lost this generation .*restarted/);
    expect(succeeded).toHaveLength(1);
    await expectSavedPng(succeeded[0]);
    expect(liveSteps(lines, succeeded[0]!.promptId!).length).toBeGreaterThan(0);
  });

  it('ComfyUI down at start and up later: waits for it, then runs', async () => {
    await proxy.refuse(true);
    const run = runTwo();
    await run.waitForStderr(/waiting up to 30 s for it to come up/);
    await proxy.refuse(false);

    const lines = await expectBothSucceeded(run);
    expect(run.stderr()).toMatch(/connection refused/);
    for (const line of lines.filter((l) => l.type === 'succeeded'))
      expect(liveSteps(lines, line.promptId!).length).toBeGreaterThan(0);
  });

  it('ComfyUI never comes up: a clear error after --wait, exit 1', async () => {
    await proxy.refuse(true);
    const run = runTwo(['--wait', '1']);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/cannot reach ComfyUI at .*connection refused.*Is it running\?/);
    expect(run.stdout()).toBe('');
  });
});

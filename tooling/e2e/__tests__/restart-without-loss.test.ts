import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { EventLog, spawnNode, type NodeRun } from '@comfyrelay/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionLog, FractionMatcher, readHistory } from '../src/index.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const childScript = fileURLToPath(new URL('./fixtures/relayChild.mjs', import.meta.url));

/** Generations per run: 2 on ComfyUI at the kill (one running, one queued), 6 in our queue. */
const COUNT = 8;
const STEPS = 8;
const STEP_DELAY_MS = 25;

interface ChildLine {
  type: string;
  id?: string;
  promptId?: string;
  ids?: string[];
  status?: string;
  code?: string;
  message?: string;
  outputs?: string[];
  resumed?: string[];
}

const lines = (run: NodeRun) => run.json() as unknown as ChildLine[];

/** The first stdout line (past or future) matching `predicate`; rejects if the child ends first. */
function childLine(
  run: NodeRun,
  log: EventLog<ChildLine>,
  predicate: (line: ChildLine) => boolean,
) {
  return run.whileRunning(log.next(predicate));
}

/** Feeds each complete stdout line of `run` to an EventLog, so a test waits for lines, not time. */
function lineLog(run: NodeRun): EventLog<ChildLine> {
  const log = new EventLog<ChildLine>();
  let buffered = '';
  run.child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) log.push(JSON.parse(line) as ChildLine);
    }
  });
  return log;
}

describe('a relay SIGKILLed mid-work and started again on the same SQLite store', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  beforeAll(() => {
    for (const built of [
      '../node_modules/@comfyrelay/core/dist/index.js',
      '../node_modules/@comfyrelay/store-sqlite/dist/index.js',
    ])
      if (!existsSync(new URL(built, import.meta.url)))
        throw new Error('the child runs the built packages: run `pnpm build` first');
  });

  /**
   * A simulator (in this process), a fresh data dir, and a way to run the child on both.
   * `workaround`: the child wraps the store so records with no backend yet can be written
   * (BUG store-sqlite/nullable-backend, see the README); false runs the store as shipped.
   */
  async function setUp({ workaround = true }: { workaround?: boolean } = {}) {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: STEP_DELAY_MS });
    const dataDir = await mkdtemp(join(tmpdir(), 'comfyrelay-e2e-restart-'));
    const runs: NodeRun[] = [];
    cleanup.push(async () => {
      for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await Promise.all(runs.map((run) => run.exit));
      await sim.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
    const executions = new ExecutionLog();
    executions.watch('sim', sim);
    const steps = new EventLog<{ promptId: string; value: number }>();
    sim.on('step', ({ promptId, value }) => steps.push({ promptId, value }));
    const spawn = (args: string[]) => {
      const run = spawnNode(childScript, [sim.url, dataDir, ...args], {
        cwd: packageDirectory,
        env: workaround ? { E2E_STORE_WORKAROUND: 'nullable-backend' } : {},
      });
      runs.push(run);
      return run;
    };
    return { sim, dataDir, executions, steps, spawn };
  }

  /**
   * First run: submits COUNT generations and is SIGKILLed once ComfyUI runs the first (it
   * reported a step, and the child has its `started` on record), holds the second on its queue,
   * and the other six wait in comfyrelay's own queue. Returns what the test saw at the kill.
   */
  async function submitAndKill(
    env: Awaited<ReturnType<typeof setUp>>,
    atKill: () => void = () => undefined,
  ) {
    const { sim, steps, spawn } = env;
    const first = spawn(['submit', String(COUNT), String(STEPS)]);
    const log = lineLog(first);
    await childLine(first, log, (line) => line.type === 'all-submitted');
    const submitted = log.events.filter((line) => line.type === 'submitted');
    const started = await childLine(first, log, (line) => line.type === 'started');
    await first.whileRunning(steps.next((step) => step.promptId === started.promptId));
    // The second is posted right after the first (perBackend 2): wait until ComfyUI holds it.
    await first.whileRunning(
      (async () => {
        while (sim.queueSnapshot().pending.length === 0)
          await sim.nextEvent('prompt-queued', undefined, 10_000);
      })(),
    );
    // The simulator lives in this process: nothing reaches it between this look and the kill.
    const snapshot = sim.queueSnapshot();
    first.child.kill('SIGKILL');
    atKill();
    expect(await first.exit).toBeNull();
    expect(first.child.signalCode).toBe('SIGKILL');
    return { submitted, started, snapshot, firstLines: lines(first) };
  }

  /** Second run: submits nothing, waits for every generation it took up; ends by itself. */
  async function resume(env: Awaited<ReturnType<typeof setUp>>) {
    const second = env.spawn(['resume']);
    expect(await second.exit, second.stderr()).toBe(0);
    const out = lines(second);
    const unfinished = out.find((line) => line.type === 'unfinished')?.ids ?? [];
    const done = out.filter((line) => line.type === 'done');
    const allDone = out.find((line) => line.type === 'all-done');
    return { unfinished, done, allDone, stderr: second.stderr() };
  }

  async function everyGenerationOnce(workaround: boolean) {
    const env = await setUp({ workaround });
    const { submitted, started, snapshot, firstLines } = await submitAndKill(env);
    const ids = submitted.map((line) => line.id!);
    const promptIds = submitted.map((line) => line.promptId!);

    // At the kill: one running on ComfyUI, one on its queue, six in ours; none done.
    expect(snapshot.running).toEqual([started.promptId]);
    expect(snapshot.pending).toHaveLength(1);
    expect(env.executions.queued).toHaveLength(2);
    expect(firstLines.filter((line) => line.type === 'done')).toEqual([]);

    const { unfinished, done, allDone } = await resume(env);
    expect([...unfinished].sort()).toEqual([...ids].sort());
    expect([...(allDone?.resumed ?? [])].sort()).toEqual([...ids].sort());
    expect(done).toHaveLength(COUNT);
    for (const line of done) {
      expect(line, `${line.id}: ${line.message ?? ''}`).toMatchObject({ status: 'succeeded' });
      expect(line.outputs).toHaveLength(1);
      expect(existsSync(join(env.sim.dirs.output, line.outputs![0]!))).toBe(true);
    }
    // Outputs collected, each its own file.
    const files = done.flatMap((line) => line.outputs!);
    expect(new Set(files).size).toBe(COUNT);
    expect(done.map((line) => line.promptId).sort()).toEqual([...promptIds].sort());

    // ComfyUI ran each exactly once: posted once, started once, one success, one history entry.
    for (const promptId of promptIds) {
      expect(env.executions.queuedCount(promptId), promptId).toBe(1);
      expect(env.executions.runsOf(promptId).map((run) => run.end)).toEqual(['success']);
    }
    const history = await readHistory(env.sim.url);
    expect(Object.keys(history).sort()).toEqual([...promptIds].sort());
    for (const promptId of promptIds) expect(history[promptId]?.status?.status_str).toBe('success');
  }

  it('every generation — running, queued on ComfyUI, waiting in our queue — completes exactly once', () =>
    everyGenerationOnce(true));

  // BUG store-sqlite/nullable-backend: the `generations.backend` column is NOT NULL, so the
  // record of a generation waiting in comfyrelay's own queue (no backend chosen yet) is never
  // written ("could not save a generation … NOT NULL constraint failed: generations.backend",
  // logged and swallowed). A kill loses every one of them: the restarted relay takes up only the
  // two that were on ComfyUI. Remove `.fails` once the store accepts records without a backend.
  it('the same with @comfyrelay/store-sqlite as shipped (BUG store-sqlite/nullable-backend)', () =>
    everyGenerationOnce(false));

  it('ComfyUI restarts while the relay is dead: the one it was running fails as lost, the one it held queued runs again once, the rest run once', async () => {
    const env = await setUp();
    let lostOnRestart: { running: string[]; pending: string[] } | undefined;
    const { submitted, started, snapshot } = await submitAndKill(env, () => {
      // Freeze the running prompt mid-run (no race with its end), then restart ComfyUI: its
      // queue and history are gone, as after a real restart.
      env.sim.setStepDelay(60_000);
      lostOnRestart = env.executions.losing('sim', 'restart');
    });
    await env.sim.restart();
    env.sim.setStepDelay(STEP_DELAY_MS);
    const promptIds = submitted.map((line) => line.promptId!);
    const [queuedOnComfy] = snapshot.pending;
    expect(lostOnRestart).toEqual({ running: [started.promptId], pending: [queuedOnComfy] });

    const { unfinished, done } = await resume(env);
    expect(unfinished).toHaveLength(COUNT);
    expect(done).toHaveLength(COUNT);
    const byPrompt = new Map(done.map((line) => [line.promptId!, line]));
    // The documented loss: it was running when ComfyUI restarted; nothing can bring it back.
    expect(byPrompt.get(started.promptId!)).toMatchObject({ status: 'failed', code: 'lost' });
    for (const promptId of promptIds.filter((id) => id !== started.promptId)) {
      const line = byPrompt.get(promptId)!;
      expect(line, `${promptId}: ${line.message ?? ''}`).toMatchObject({ status: 'succeeded' });
      expect(line.outputs).toHaveLength(1);
      expect(existsSync(join(env.sim.dirs.output, line.outputs![0]!))).toBe(true);
    }

    // Posted again only the one ComfyUI lost before it started; nothing ran twice.
    expect(env.executions.queuedCount(queuedOnComfy!)).toBe(2);
    for (const promptId of promptIds.filter((id) => id !== queuedOnComfy))
      expect(env.executions.queuedCount(promptId), promptId).toBe(1);
    expect(env.executions.runsOf(started.promptId!).map((run) => run.end)).toEqual(['abandoned']);
    for (const promptId of promptIds.filter((id) => id !== started.promptId))
      expect(
        env.executions.runsOf(promptId).map((run) => run.end),
        promptId,
      ).toEqual(['success']);
    expect(env.executions.ranTwice()).toEqual([]);
    const history = await readHistory(env.sim.url);
    expect(Object.keys(history).sort()).toEqual(
      promptIds.filter((id) => id !== started.promptId).sort(),
    );
  });

  it('killed while its POST to ComfyUI is in flight: the generation on record as posted runs once', async () => {
    const env = await setUp();
    const { sim, spawn } = env;
    // Every POST /prompt is held in the simulator (it arrived, ComfyUI has not queued it): the
    // two generations being posted are on record with their backend and prompt_id (written
    // before the POST); the third waits in comfyrelay's queue.
    const arrived = new EventLog<string>();
    sim.faults.delayHttp(new FractionMatcher(/^\/prompt$/, 1, Math.random, arrived.push), 20_000);
    const first = spawn(['submit', '3', String(STEPS)]);
    const log = lineLog(first);
    await childLine(first, log, (line) => line.type === 'all-submitted');
    await first.whileRunning(arrived.next(() => true));
    first.child.kill('SIGKILL');
    expect(await first.exit).toBeNull();
    // The held request's client is gone: the simulator drops it when its delay ends, unqueued.
    sim.faults.clear();
    expect(env.executions.queued).toEqual([]);
    const submitted = log.events.filter((line) => line.type === 'submitted');
    expect(submitted).toHaveLength(3);

    const { done } = await resume(env);
    expect(done.map((line) => line.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    for (const line of submitted) {
      expect(env.executions.runsOf(line.promptId!).map((run) => run.end)).toEqual(['success']);
      expect(env.executions.queuedCount(line.promptId!)).toBe(1);
    }
    const history = await readHistory(sim.url);
    expect(Object.keys(history).sort()).toEqual(submitted.map((line) => line.promptId!).sort());
  });
});

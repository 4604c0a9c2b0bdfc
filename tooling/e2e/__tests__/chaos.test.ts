// @module-tag chaos
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ComfyRelay,
  createRelayContainer,
  type GenerationHandle,
  type GenerationRecord,
  type RelayConfig,
} from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ChaosCluster,
  harnessGraph,
  judge,
  readHistory,
  RecordingLogger,
  seededStream,
  timelineOf,
  seedFromEnv,
  type Plan,
} from '../src/index.js';

const TOTAL = 1_000;
const USERS = 50;
/** Generations in flight at once: one more is submitted as each one ends. */
const WINDOW = 200;
/** The faults that are not random: ComfyUI "A" restarts, "C" dies for good. */
const RESTART_A_AFTER = 250;
const KILL_C_AFTER = 500;
/**
 * An end the relay could not have heard of yet when its server forgot it (restart, death): the
 * relay notices a deaf socket's missed end within about 2 × silenceCheckMs + deafAfterMs plus a
 * history read (≈ 0.6 s with the knobs below); slow answers and 500s on /queue add a tick or
 * two. An end forgotten later than this should have been collected: a problem.
 */
const UNSEEN_WITHIN_MS = 1_500;
/** If generations are still in flight this long after the start, the run reports them and fails. */
const HANG_REPORT_MS = 130_000;

/**
 * Relay knobs tuned for test speed (defaults in brackets): the relay reacts in tens of
 * milliseconds to what it would give seconds in production.
 */
const relayKnobs: Omit<RelayConfig, 'backends'> = {
  scheduling: { perBackend: 3 }, // [2] one running, two queued on each ComfyUI
  failoverAfterMs: 300, // [15 s] never-started prompts leave a dead server
  unreachableGraceMs: 1_000, // [3 min] what a dead server was running fails
  silenceCheckMs: 150, // [2 s] a silent socket is checked against /queue
  connection: {
    backoff: { initialMs: 10, maxMs: 100 }, // [1 s … 30 s]
    deafAfterMs: 250, // [1.5 s]
    pingIntervalMs: 1_000, // [30 s]
    openTimeoutMs: 2_000, // [10 s]
  },
  historyRetryDelayMs: 10, // [100 ms]
  httpTimeoutMs: 3_000, // [10 s]
  cancelConfirmMs: 1_000, // [10 s]
};

describe('chaos: 1,000 generations from 50 users on 3 ComfyUI servers under seeded faults', () => {
  const cleanup: { what: string; run: () => Promise<void> }[] = [];
  afterEach(async () => {
    // Each step says when it starts: a stop that hangs names itself in the output.
    for (const step of cleanup.splice(0).reverse()) {
      const started = performance.now();
      console.log(`[chaos] cleanup: ${step.what}…`);
      await step.run();
      console.log(
        `[chaos] cleanup: ${step.what} done in ${Math.round(performance.now() - started)} ms`,
      );
    }
  });

  it('every generation ends, none runs twice, every recoverable one succeeds', async () => {
    const seed = seedFromEnv();
    // Separate streams: what is submitted, and when the network faults strike.
    const submissions = seededStream(seed, 1);
    const random = seededStream(seed, 2);
    console.log(`[chaos] seed ${seed}: replay its fault decisions with E2E_CHAOS_SEED=${seed}`);
    const startedAt = performance.now();

    const root = await mkdtemp(join(tmpdir(), 'comfyrelay-chaos-'));
    cleanup.push({ what: 'remove files', run: () => rm(root, { recursive: true, force: true }) });
    const cluster = await ChaosCluster.start({
      names: ['A', 'B', 'C'],
      root,
      stepDelayMs: 1,
      seed,
      failRoutes: /^\/(prompt|queue|object_info|history|ws)(\/|$)/,
      failRate: 0.05,
      slowRoutes: /^\/(prompt|queue|history)/,
      slowRate: 0.05,
      slowMs: 120,
    });
    for (const node of cluster.nodes) {
      cleanup.push({
        what: `stop sim ${node.name}`,
        run: async () => {
          if (node.alive) await node.sim.stop();
        },
      });
      cleanup.push({ what: `stop proxy ${node.name}`, run: () => node.proxy.stop() });
    }

    const logger = new RecordingLogger();
    const relay = createRelayContainer(
      {
        backends: cluster.nodes.map((node) => ({ id: node.name, url: node.proxy.url })),
        ...relayKnobs,
      },
      { logger },
    ).resolve(ComfyRelay);
    cleanup.push({ what: 'stop the relay', run: () => relay.stop() });
    const backendStates: Record<string, number> = {};
    const relayTimeline: { at: number; text: string; id?: string; backend?: string }[] = [];
    relay.subscribe(
      {
        send(event) {
          const at = performance.now();
          if (event.type === 'backend') {
            const key = `${event.backend}:${event.state}`;
            backendStates[key] = (backendStates[key] ?? 0) + 1;
            const reason = event.reason ? ` (${event.reason})` : '';
            relayTimeline.push({
              at,
              backend: event.backend,
              text: `${event.backend} ${event.state}${reason}`,
            });
          } else if (
            event.type !== 'positions' &&
            event.type !== 'progress' &&
            event.type !== 'queued'
          ) {
            const backend = 'record' in event ? ` on ${event.record.backend ?? '-'}` : '';
            const error =
              event.type === 'failed' ? ` ${event.error.code}: ${event.error.message}` : '';
            relayTimeline.push({ at, id: event.id, text: `${event.type}${backend}${error}` });
          }
        },
      },
      { name: 'chaos-recorder', coalesce: false },
    );
    await relay.start();
    await relay.ready();

    const plans = new Map<string, Plan>();
    const live = new Map<string, GenerationHandle>();
    const records = new Map<string, GenerationRecord>();
    const chaos: Promise<unknown>[] = [];
    let submitted = 0;
    let cancelErrors = 0;
    let everyoneEnded!: () => void;
    let submitFailed!: (error: unknown) => void;
    const allEnded = new Promise<void>((resolve, reject) => {
      everyoneEnded = resolve;
      submitFailed = reject;
    });

    /** One random fault per ending generation, sometimes: the run's pace drives the chaos. */
    const chaosStep = (ended: number) => {
      const alive = cluster.alive().map((node) => node.name);
      if (ended === RESTART_A_AFTER) chaos.push(cluster.restart('A'));
      if (ended === KILL_C_AFTER) chaos.push(cluster.kill('C'));
      if (random.chance(0.05)) cluster.cut(random.pick(alive), random.pick([0, 0, 50, 200, 600]));
      if (random.chance(0.01)) cluster.slow(random.pick(alive), random.int(5, 40));
      if (random.chance(0.02)) cluster.pass(random.pick(alive));
      if (random.chance(0.01) && live.size > 0) {
        const ids = [...live.keys()];
        const id = random.pick(ids);
        plans.get(id)!.cancelRequested = true;
        relay.cancel(id).catch(() => void (cancelErrors += 1));
      }
    };

    const submitOne = async () => {
      const index = submitted++;
      const failsOnPurpose = submissions.chance(0.03);
      const steps = submissions.int(2, 5);
      const failAt = submissions.int(1, steps);
      const graph = harnessGraph(index + 1, steps, {
        prefix: 'chaos',
        ...(failsOnPurpose ? { failAt } : {}),
      });
      const user = `user${index % USERS}`;
      const handle = await submitGraph(relay, graph, {
        origin: { platform: 'chaos', userId: user },
      });
      plans.set(handle.id, {
        id: handle.id,
        promptId: handle.promptId,
        user,
        failsOnPurpose,
        cancelRequested: false,
      });
      live.set(handle.id, handle);
      void handle.done.then((record) => {
        live.delete(record.id);
        records.set(record.id, record);
        chaosStep(records.size);
        if (submitted < TOTAL) submitOne().catch(submitFailed);
        if (records.size === TOTAL) everyoneEnded();
      });
    };
    for (let i = 0; i < WINDOW; i++) await submitOne();

    // The bound: a hung generation fails the run with what is still in flight, not a bare timeout.
    let hangTimer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      hangTimer = setTimeout(() => {
        const stuck = [...live.values()].map((handle) => {
          const record = handle.record();
          return `${record.id} ${record.status} on ${record.backend ?? '(our queue)'} prompt ${record.promptId}`;
        });
        reject(
          new Error(
            `[chaos seed ${seed}] ${stuck.length} generations never ended:\n${stuck.join('\n')}`,
          ),
        );
      }, HANG_REPORT_MS);
    });
    try {
      await Promise.race([allEnded, hung]);
    } finally {
      clearTimeout(hangTimer);
    }
    await Promise.all(chaos);
    cluster.calm(); // the checks below read /history themselves
    const runMs = performance.now() - startedAt;
    expect(relay.active()).toEqual([]);

    // Judge every end against what the servers did with its prompt.
    const { verdicts, knownBugs, knownBugPrompts, tally, ranTwice } = judge(
      [...plans.values()],
      records,
      {
        executions: cluster.executions,
        unseenWithinMs: UNSEEN_WITHIN_MS,
        outputDirOf: (backend) => cluster.nodes.find((node) => node.name === backend)?.outputDir,
      },
    );

    // Histories: the servers that are still up never list one prompt twice between them (the
    // dead one's history died with it; runs before A's restart are in the execution log).
    const histories = await Promise.all(
      cluster.alive().map(async (node) => ({
        node: node.name,
        ids: Object.keys(await readHistory(node.sim.url)),
      })),
    );
    const listedBy = new Map<string, string[]>();
    for (const { node, ids } of histories)
      for (const id of ids) listedBy.set(id, [...(listedBy.get(id) ?? []), node]);
    const listedTwice = [...listedBy].filter(
      ([promptId, nodes]) => nodes.length > 1 && !knownBugPrompts.has(promptId),
    );

    const report = {
      seed,
      seconds: Math.round(runMs / 100) / 10,
      generations: tally.total,
      succeeded: tally.succeeded,
      failedByCode: tally.failedByCode,
      cancelled: tally.cancelled,
      expectedEnds: tally.excused,
      knownBugHits: knownBugs,
      movedBetweenServers: tally.movedBetweenServers,
      movedOffDeadServer: logger.idsOf('moving a generation off an unreachable ComfyUI').size,
      resubmittedAfterLoss: logger.idsOf('ComfyUI lost a prompt that had not started').size,
      postedAgainSameServer: tally.postedAgainSameServer,
      rerunAfterAbandon: tally.rerunAfterAbandon,
      unseenEndGapsMs: tally.unseenEndGapsMs,
      givenBackAfterRefusedPost: logger.count('could not hand a generation to ComfyUI'),
      deafSocketsReplaced: logger.count('ComfyUI socket is deaf'),
      circuitOpened: logger.count('ComfyUI keeps failing'),
      cancelRequests: [...plans.values()].filter((plan) => plan.cancelRequested).length,
      cancelErrors,
      faults: cluster.count(),
      backendStates,
    };
    console.log(`[chaos] ${JSON.stringify(report, null, 2)}`);

    const problems = verdicts
      .filter((verdict) => verdict.problem)
      .map((verdict) => `${verdict.plan.id} (${verdict.plan.promptId}): ${verdict.problem}`);
    for (const verdict of verdicts.filter((candidate) => candidate.problem))
      console.log(
        `[chaos] timeline of ${verdict.plan.id}:\n  ${timelineOf(
          verdict.plan.id,
          verdict.plan.promptId,
          {
            executions: cluster.executions,
            faults: cluster.timeline,
            log: logger.entries,
            relay: relayTimeline,
            origin: startedAt,
          },
        ).join('\n  ')}`,
      );
    expect(problems, `[chaos seed ${seed}]`).toEqual([]);
    expect(ranTwice, `[chaos seed ${seed}] prompts that ran twice`).toEqual([]);
    expect(listedTwice, `[chaos seed ${seed}] prompts in two servers' histories`).toEqual([]);
    expect(tally.total).toBe(TOTAL);
    // The faults really happened.
    expect(report.faults.restarts).toEqual(['A']);
    expect(report.faults.kills).toEqual(['C']);
    expect(report.faults.http500).toBeGreaterThan(0);
    expect(report.faults.socketCuts).toBeGreaterThan(0);
  });
});

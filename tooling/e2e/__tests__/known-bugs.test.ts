import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import {
  ComfyRelay,
  createRelayContainer,
  silentLogger,
  type GenerationStore,
  type RelayConfig,
  type StoredGeneration,
} from '@comfyrelay/core';
import { submitGraph } from '@comfyrelay/core/protocol';
import { SqliteGenerationStore } from '@comfyrelay/store-sqlite';
import { FaultProxy, spawnNode, waitFor } from '@comfyrelay/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionLog, FractionMatcher, harnessGraph } from '../src/index.js';

/**
 * One focused reproduction per bug the end-to-end suites found, each written as the behaviour
 * the design promises and marked `it.fails` until the bug is fixed (then drop `.fails`). The
 * README's "Bugs found" section describes each one: input, what happens, what should, cause.
 */
describe('known bugs (each test states the promised behaviour; it fails until fixed)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function simulator(stepDelayMs = 5): Promise<ComfySimulator> {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs, previews: false });
    cleanup.push(() => sim.stop());
    return sim;
  }

  function relayOn(
    backends: RelayConfig['backends'],
    config: Partial<RelayConfig> = {},
    store?: GenerationStore,
  ): ComfyRelay {
    const relay = createRelayContainer(
      {
        backends,
        historyRetryDelayMs: 10,
        connection: { backoff: { initialMs: 10, maxMs: 50 }, deafAfterMs: 200 },
        ...config,
      },
      { logger: silentLogger, ...(store ? { store } : {}) },
    ).resolve(ComfyRelay);
    cleanup.push(() => relay.stop());
    return relay;
  }

  async function dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'comfyrelay-e2e-bugs-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  // BUG store-sqlite/nullable-backend (packages/store-sqlite/src/migrations.ts, migration 1:
  // `backend TEXT NOT NULL`; GenerationTable.save binds `record.backend` as is). Core writes a
  // generation's record before any backend is chosen (it waits in comfyrelay's own queue), so
  // the save throws, GenerationRegistry.persist logs "could not save a generation" and the
  // relay goes on: the generation is not durable.
  it('store-sqlite/nullable-backend: a record with no backend yet is saved and taken up', async () => {
    const store = SqliteGenerationStore.open({ dataDir: await dataDir() });
    cleanup.push(() => store.close());
    const waiting: StoredGeneration = {
      id: 'gen-waiting',
      promptId: 'prompt-waiting',
      status: 'submitted',
      createdAt: Date.now(),
      origin: { platform: 'e2e', userId: 'u1' },
      graph: harnessGraph(1, 2),
    };
    store.save(waiting);
    expect(store.unfinished().map((record) => record.id)).toEqual(['gen-waiting']);
  });

  // The same bug, worse: a generation that ends while it has no backend (here: cancelled in
  // comfyrelay's queue after ComfyUI refused its POSTs) cannot write its end, so the store keeps
  // the record written when it was handed to ComfyUI — unfinished, with that backend. The next
  // start takes it up again and RUNS a generation its user cancelled.
  it('store-sqlite/nullable-backend: a generation cancelled in our queue stays cancelled after a restart', async () => {
    const sim = await simulator();
    const store = SqliteGenerationStore.open({ dataDir: await dataDir() });
    cleanup.push(() => store.close());
    const executions = new ExecutionLog();
    executions.watch('sim', sim);
    // ComfyUI refuses every POST: three refusals open the backend's circuit, so the generation
    // waits in comfyrelay's own queue (its backend cleared) for the cool-down.
    const refusals = new FractionMatcher(/^\/prompt$/, 1, Math.random);
    sim.faults.failHttp(refusals, 500, 'busy');
    const first = relayOn([{ id: 'sim', url: sim.url }], {}, store);
    await first.start();
    await first.ready();
    const handle = await submitGraph(first, harnessGraph(7, 2));
    await waitFor(() => refusals.hits >= 3 && handle.record().backend === undefined, {
      what: 'three refused POSTs, back in our queue',
    });
    expect(await handle.cancel()).toBe(true);
    await first.stop();
    sim.faults.clear();

    expect(store.get(handle.id)?.status).toBe('cancelled');
    const second = relayOn([{ id: 'sim', url: sim.url }], {}, store);
    await second.start();
    expect(second.active()).toEqual([]);
    expect(executions.queuedCount(handle.promptId)).toBe(0);
  });

  // BUG core/history-error-is-no-entry (packages/core/src/backend/HistoryFetcher.ts:63-71 logs
  // and drops every /history error, so `get` resolves undefined — "no entry" — for a 500 or a
  // timeout; ComfyBackend.settleAway (ComfyBackend.ts, after its 3 readHistory attempts) then
  // treats the prompt as lost). A prompt that finished on ComfyUI while the relay's socket was
  // away is declared lost if /history answers 500 three times during the reconciliation.
  async function finishWhileAway(options: { relaySawItStart: boolean }) {
    const sim = await simulator(20);
    const proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: sim.port } });
    cleanup.push(() => proxy.stop());
    const executions = new ExecutionLog();
    executions.watch('sim', sim);
    const relay = relayOn([{ id: 'sim', url: proxy.url }]);
    await relay.start();
    await relay.ready();
    if (!options.relaySawItStart) sim.holdExecution();
    const handle = await submitGraph(relay, harnessGraph(11, 6));
    await waitFor(
      () =>
        handle.record().submittedAt !== undefined &&
        (!options.relaySawItStart || handle.record().status === 'running'),
      { what: options.relaySawItStart ? 'the relay to see it run' : 'ComfyUI to accept it' },
    );
    // The relay loses the server (connections refused); ComfyUI finishes the prompt meanwhile.
    const ended = sim.nextEvent('execution-end', (end) => end.promptId === handle.promptId);
    await proxy.refuse(true, { dropExisting: true });
    sim.releaseExecution();
    expect((await ended).status).toBe('success');
    // Back, but /history answers 500 to the relay's first three asks (then works again).
    const busy = new FractionMatcher(/^\/history/, 1, Math.random, () => {
      if (busy.hits >= 3) busy.fraction = 0;
    });
    sim.faults.failHttp(busy, 500, 'history is busy');
    await proxy.refuse(false);
    const record = await handle.done;
    return { record, runs: executions.runsOf(handle.promptId) };
  }

  it('core/history-error-is-no-entry: a prompt that finished while the socket was away is collected, not declared lost', async () => {
    const { record } = await finishWhileAway({ relaySawItStart: true });
    expect(record.error).toBeUndefined();
    expect(record.status).toBe('succeeded');
  });

  it('core/history-error-is-no-entry: a prompt that finished unseen while the socket was away is not run again', async () => {
    const { record, runs } = await finishWhileAway({ relaySawItStart: false });
    expect(runs.map((run) => run.end)).toEqual(['success']);
    expect(record.status).toBe('succeeded');
  });

  // BUG core/repost-5xx-is-lost (packages/core/src/backend/ComfyBackend.ts, `resubmit`: only a
  // ComfyUnreachableError is tolerated; any other error, a 5xx included, fails the generation
  // as `lost`). A ComfyUI that just restarted (and lost our queued prompt) and answers one 500
  // to the re-POST makes a generation that never started fail, where the scheduler would retry
  // a 5xx (Scheduler.isServersFault → giveBack) for a first POST.
  it('core/repost-5xx-is-lost: a prompt a restarted ComfyUI lost is posted again despite one 500', async () => {
    const sim = await simulator();
    const relay = relayOn([{ id: 'sim', url: sim.url }]);
    await relay.start();
    await relay.ready();
    sim.holdExecution();
    const handle = await submitGraph(relay, harnessGraph(21, 2));
    await waitFor(() => handle.record().submittedAt !== undefined, {
      what: 'ComfyUI to accept it',
    });
    // The next POST /prompt (the re-POST after the restart) answers 500 once.
    const once = new FractionMatcher(/^\/prompt$/, 1, Math.random, () => (once.fraction = 0));
    sim.faults.failHttp(once, 500, 'starting up');
    await sim.restart();
    sim.releaseExecution();
    const record = await handle.done;
    expect(once.hits).toBe(1);
    expect(record.error).toBeUndefined();
    expect(record.status).toBe('succeeded');
  });

  // BUG core/lost-answer-posted-again (packages/core/src/scheduling/Scheduler.ts, `dispatch`'s
  // catch: only a TIMEOUT of the POST is treated as "it may have reached ComfyUI"; a connection
  // reset after the request was sent is a ComfyUnreachableError('network') and goes to
  // `giveBack`, which posts the same prompt_id again without looking at /queue). ComfyUI had
  // queued it: it runs twice (on the same server, or on two).
  it('core/lost-answer-posted-again: a POST whose answer is lost (connection reset) does not run twice', async () => {
    const sim = await simulator();
    const proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: sim.port } });
    cleanup.push(() => proxy.stop());
    const executions = new ExecutionLog();
    executions.watch('sim', sim);
    const relay = relayOn([{ id: 'sim', url: proxy.url }]);
    await relay.start();
    await relay.ready();
    // The network drops every connection the moment ComfyUI has queued the prompt, before its
    // answer is out (real ComfyUI answers right after queueing; the window is small, not zero).
    let dropped: Promise<void> | undefined;
    sim.on('prompt-queued', () => {
      dropped ??= proxy.refuse(true, { dropExisting: true }).then(() => proxy.refuse(false));
    });
    const handle = await submitGraph(relay, harnessGraph(41, 2));
    const record = await handle.done;
    await dropped;
    expect(record.status).toBe('succeeded');
    // Give a second copy the chance to run before counting (it would be queued behind the first).
    await waitFor(
      () => sim.queueSnapshot().pending.length === 0 && sim.queueSnapshot().running.length === 0,
      {
        what: 'ComfyUI idle',
      },
    );
    expect(executions.queuedCount(handle.promptId)).toBe(1);
    expect(executions.runsOf(handle.promptId).map((run) => run.end)).toEqual(['success']);
  });

  // FIXED core/failover-while-server-works (packages/core/src/backend/ComfyBackend.ts,
  // `failOverIfUnreachable`): the failover timer ran whenever the WebSocket was not open — a
  // socket being replaced included — and moved every prompt the relay never saw start without
  // asking the server, so a live server ran it too. Now the server is asked over HTTP first: one
  // that answers keeps its prompts, which are followed through /queue and /history until the
  // socket is back. Here: B's WebSocket cannot be reopened but its HTTP API works.
  it('core/failover-while-server-works: a server whose socket is dead but whose HTTP works keeps its prompt, and runs it once', async () => {
    const a = await simulator();
    const b = await simulator();
    const executions = new ExecutionLog();
    executions.watch('A', a);
    executions.watch('B', b);
    a.faults.refuseConnections(true); // everything goes to B first
    const relay = relayOn(
      [
        { id: 'A', url: a.url },
        { id: 'B', url: b.url },
      ],
      { failoverAfterMs: 200 },
    );
    await relay.start();
    await relay.ready();
    b.holdExecution();
    const handle = await submitGraph(relay, harnessGraph(31, 2));
    await waitFor(() => b.queueSnapshot().pending.includes(handle.promptId), { what: 'it on B' });
    a.faults.refuseConnections(false);
    await waitFor(() => relay.backends().every((backend) => backend.state === 'open'), {
      what: 'both open',
    });
    // B's WebSocket goes and cannot come back (upgrades answer 500); its HTTP API still works.
    b.faults.failHttp('/ws', 500, 'websocket upgrades are broken');
    b.faults.dropSockets();
    // Past the failover time, B was asked and kept its prompt: let it run there.
    await waitFor(() => relay.backends().find((backend) => backend.id === 'B')?.state !== 'open', {
      what: "B's socket down",
    });
    const ranOnB = b.nextEvent('execution-end', (end) => end.promptId === handle.promptId);
    b.releaseExecution();
    await ranOnB;
    const record = await handle.done;
    expect(record).toMatchObject({ status: 'succeeded', backend: 'B' });
    expect(executions.runsOf(handle.promptId).map((run) => run.sim)).toEqual(['B']);
  });

  // BUG comfyui-sim/upgrade-socket-without-error-listener
  // (packages/comfyui-sim/src/http/sim-http-server.ts, `handleUpgrade` / `rejectUpgrade`: Node's
  // HTTP server removes its own 'error' listener from a socket before emitting 'upgrade'; the
  // simulator adds none before answering a refused upgrade with `socket.end(…)` — `ws` adds one
  // only inside `wss.handleUpgrade`). A client that resets the connection as the refusal
  // arrives makes the socket emit ECONNRESET with no listener: an uncaught exception that kills
  // the simulator's process (in a test: "Vitest caught 1 unhandled error"). The chaos suite
  // injects no 500s on /ws for this reason.
  it('comfyui-sim/upgrade-socket-without-error-listener: a refused WebSocket upgrade whose client resets does not crash the simulator', async () => {
    const run = spawnNode(
      fileURLToPath(new URL('./fixtures/simUpgradeReset.mjs', import.meta.url)),
      [],
      { cwd: fileURLToPath(new URL('..', import.meta.url)) },
    );
    expect(await run.exit, run.stderr()).toBe(0);
    expect(run.stdout()).toBe('survived\n');
  });
});

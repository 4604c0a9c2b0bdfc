import { randomUUID } from 'node:crypto';
import {
  collectOutputs,
  Generation,
  PromptRouter,
  StepWeightedInterpreter,
  type ApiWorkflow,
  type GenerationHooks,
  type NodeOutput,
} from '@comfyrelay/core';
import { failingPromptMessages, promptMessages, txt2imgGraph } from '../workload.js';

export interface MemoryTask {
  tracked: number;
  churn: number;
  /** Generations in flight at once during the churn. */
  wave: number;
}

export interface MemoryReport {
  task: MemoryTask;
  perGeneration: {
    /** Bytes of heap per registered generation that has not started. */
    submitted: number;
    /** … once it runs, halfway through sampling (tracker state filled in). */
    running: number;
    /** Of which its own API graph (each generation renders its own). */
    graph: number;
  };
  churn: ChurnReport;
  /**
   * The same churn where every generation fails (execution_error): Generation.fail() settles at
   * once and onTerminal unregisters it, before ComfyUI's trailing `status` and `executing null`.
   */
  failing: ChurnReport;
}

export interface ChurnReport {
  generations: number;
  baseline: number;
  peak: number;
  /** After everything settled and was released, then gc. */
  after: number;
  /** Halfway, after gc: the steady state with `wave` generations in flight. */
  midway: number;
  routerSize: number;
  routerHeld: number;
  ms: number;
}

const gc = (): void => {
  global.gc?.();
  global.gc?.();
};

function heap(): number {
  return process.memoryUsage().heapUsed;
}

const interpreter = new StepWeightedInterpreter();

function makeGeneration(
  router: PromptRouter,
  hooks: GenerationHooks,
  graph: ApiWorkflow,
): Generation {
  const generation = new Generation(
    { id: randomUUID(), promptId: randomUUID(), backend: 'fake', graph },
    interpreter.track(graph),
    hooks,
  );
  router.register(generation.promptId, generation);
  return generation;
}

/** Heap per tracked generation: 10,000 registered with a PromptRouter, measured after gc. */
function perGeneration(count: number): MemoryReport['perGeneration'] {
  const hooks: GenerationHooks = {
    publish: () => undefined,
    onExecutionSuccess: () => undefined,
    onTerminal: () => undefined,
  };
  gc();
  let before = heap();
  const graphs: ApiWorkflow[] = [];
  for (let index = 0; index < count; index++) graphs.push(txt2imgGraph(index));
  gc();
  const graph = (heap() - before) / count;
  graphs.length = 0;

  const router = new PromptRouter();
  const generations: Generation[] = [];
  gc();
  before = heap();
  for (let index = 0; index < count; index++)
    generations.push(makeGeneration(router, hooks, txt2imgGraph(index)));
  gc();
  const submitted = (heap() - before) / count;
  // Halfway through sampling: start, cached, executing, 4 of 8 steps.
  for (const generation of generations) {
    const { head } = promptMessages(generation.promptId);
    for (const message of head.slice(0, 3 + 8)) router.route(message);
  }
  gc();
  const running = (heap() - before) / count;
  if (router.size !== count) throw new Error(`router tracks ${router.size}, not ${count}`);
  return { submitted, running, graph };
}

/**
 * `total` generations driven through start → progress → success → release, `wave` at a
 * time. Outputs come from the `executed` messages (as when history lags), then succeed(),
 * whose onTerminal unregisters from the router, as ComfyRelay.retire does.
 */
/** Each wave ends by yielding to the event loop, as a socket handler does between reads. */
async function churn(total: number, wave: number, failing: boolean): Promise<ChurnReport> {
  const router = new PromptRouter();
  const started = performance.now();
  let finished: Generation[] = [];
  const hooks: GenerationHooks = {
    publish: () => undefined,
    onExecutionSuccess: (generation) => void finished.push(generation),
    onTerminal: (generation) => router.unregister(generation.promptId),
  };
  const settle = (generation: Generation) =>
    generation.succeed(
      collectOutputs(
        Object.fromEntries(generation.announcedOutputs) as Record<string, NodeOutput>,
        'fake',
      ),
    );

  gc();
  const baseline = heap();
  let peak = baseline;
  let midway = 0;
  for (let done = 0; done < total; done += wave) {
    const generations: Generation[] = [];
    for (let index = 0; index < wave; index++)
      generations.push(makeGeneration(router, hooks, txt2imgGraph(done + index)));
    for (const generation of generations) {
      if (failing) {
        for (const message of failingPromptMessages(generation.promptId)) router.route(message);
        if (generation.status !== 'failed')
          throw new Error(`a failing generation ended ${generation.status}`);
        continue;
      }
      const { head, tail } = promptMessages(generation.promptId);
      for (const message of head) router.route(message);
      for (const message of tail) router.route(message);
    }
    // The history answer comes back after the last message: now they settle and are released.
    for (const generation of finished) settle(generation);
    finished = [];
    await new Promise((resolve) => setImmediate(resolve));
    peak = Math.max(peak, heap());
    if (done + wave >= total / 2 && midway === 0) {
      gc();
      midway = heap();
    }
  }
  const routerSize = router.size;
  const routerHeld = router.heldCount;
  gc();
  const after = heap();
  return {
    generations: total,
    baseline,
    peak,
    after,
    midway,
    routerSize,
    routerHeld,
    ms: performance.now() - started,
  };
}

export async function runMemoryTask(task: MemoryTask): Promise<MemoryReport> {
  if (!global.gc) throw new Error('run with --expose-gc');
  // Warm the code paths so compiled code does not count as growth.
  await churn(2_000, 500, false);
  await churn(2_000, 500, true);
  const per = perGeneration(task.tracked);
  const steady = await churn(task.churn, task.wave, false);
  const failing = await churn(task.churn, task.wave, true);
  return { task, perGeneration: per, churn: steady, failing };
}

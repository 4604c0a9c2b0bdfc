import { ComfySimulator, type SimulatorOptions } from '@comfyrelay/comfyui-sim';
import {
  createRelay,
  silentLogger,
  type ApiWorkflow,
  type ComfyRelay,
  type GenerateOptions,
  type GenerationHandle,
  type GenerationRecord,
  type Plugin,
  type RelayConfig,
  type RelayEvent,
} from '@comfyrelay/core';
import { EventLog } from '../waiting/EventLog.js';

/** A generation a test started, with what ComfyUI received for it. */
export interface TestGeneration extends GenerationHandle {
  /** The graph the server received (the rendered workflow; empty if it never reached it). */
  readonly graph: ApiWorkflow;
  /** The validated values it runs with. */
  readonly parameters: Record<string, unknown> | undefined;
}

export interface HttpCall {
  method: string;
  path: string;
  status: number;
}

export interface RelayFixture {
  sim: ComfySimulator;
  relay: ComfyRelay;
  /** Every relay event, in order, none coalesced. */
  events: RelayEvent[];
  /** One generation's events as its own subscription sees them (queue moves as `queued`). */
  eventsOf(id: string): RelayEvent[];
  /** The first recorded event (past or future) that matches. */
  event(predicate: (event: RelayEvent) => boolean): Promise<RelayEvent>;
  /** Every HTTP request the simulator answered. */
  http: HttpCall[];
  generate(
    workflowId: string,
    input: Record<string, unknown>,
    options?: GenerateOptions,
  ): Promise<TestGeneration>;
  runAction(
    result: GenerationRecord | string,
    actionId: string,
    options?: GenerateOptions,
  ): Promise<TestGeneration>;
  close(): Promise<void>;
}

export interface RelayFixtureOptions {
  plugins?: Plugin[];
  sim?: SimulatorOptions;
  relay?: Partial<RelayConfig>;
}

/** A simulator on a free port and a started relay on it with `plugins`, recording every event. */
export async function startRelayFixture(options: RelayFixtureOptions = {}): Promise<RelayFixture> {
  const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2, ...options.sim });
  const http: HttpCall[] = [];
  sim.on('http', (call) => void http.push(call));
  const received = new EventLog<{ promptId: string; prompt: ApiWorkflow }>();
  sim.on('prompt-queued', ({ promptId, prompt }) =>
    received.push({ promptId, prompt: prompt as ApiWorkflow }),
  );
  const relay = createRelay(
    {
      backends: [{ id: 'sim', url: sim.url }],
      historyRetryDelayMs: 20,
      ...options.relay,
      connection: { backoff: { initialMs: 20, maxMs: 200 }, ...options.relay?.connection },
    },
    { logger: silentLogger },
  );
  for (const plugin of options.plugins ?? []) await relay.use(plugin);
  const log = new EventLog<RelayEvent>();
  relay.subscribe(
    { send: log.push },
    { name: 'test-recorder', coalesce: false, queueLimit: 1_000_000 },
  );
  await relay.start();
  await relay.ready();
  /** Once the simulator received its prompt (the relay queues first, then posts). */
  const withGraph = async (handle: GenerationHandle): Promise<TestGeneration> => {
    const post = await Promise.race([
      received.next((post) => post.promptId === handle.promptId),
      handle.done.then(() => undefined),
    ]);
    // Ended without reaching the server (refused before it was posted): no graph to show.
    const graph = post?.prompt ?? {};
    return { ...handle, graph, parameters: handle.record().parameters };
  };
  return {
    sim,
    relay,
    events: log.events,
    eventsOf: (id) => eventsOfGeneration(log.events, id),
    event: (predicate) => log.next(predicate),
    http,
    generate: async (workflowId, input, generateOptions) =>
      withGraph(await relay.generate(workflowId, input, generateOptions)),
    runAction: async (result, actionId, actionOptions) =>
      withGraph(await relay.runAction(result, actionId, actionOptions)),
    async close() {
      await relay.stop();
      await sim.stop();
    },
  };
}

/**
 * One generation's events as its own subscription sees them (`relay.subscribe(sink,
 * { generation })`): its events, and its place in each queue move as `queued`.
 */
export function eventsOfGeneration(events: readonly RelayEvent[], id: string): RelayEvent[] {
  const own: RelayEvent[] = [];
  let last: number | undefined;
  for (const event of events) {
    if (event.type === 'positions') {
      const slot = event.positions[id];
      if (!slot || slot.position === last) continue;
      last = slot.position;
      own.push({ type: 'queued', id, ...slot });
    } else if ('id' in event && event.id === id) own.push(event);
  }
  return own;
}

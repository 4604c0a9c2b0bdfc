import { randomUUID } from 'node:crypto';
import {
  ComfyConnection,
  Generation,
  PromptRouter,
  StepWeightedInterpreter,
  type GenerationHooks,
} from '@comfyrelay/core';
import { messagesPerPrompt, deliveredPerPrompt, txt2imgGraph } from '../workload.js';
import { requestDelta, StreamCounter, withTimeout } from './measure.js';
import type { Variant } from './types.js';
import { startProfile, stopProfile } from '../profile.js';

/**
 * comfyrelay's ingest path wired by hand: ComfyConnection → PromptRouter → Generation
 * (StepWeightedInterpreter), 1,000 generations registered before the stream, hooks that only
 * count. No HTTP: no queue refresh on `status`, no history fetch on success.
 */
export const relayLight: Variant = async (server, { prompts, withStatus, timeoutMs }) => {
  const clientId = `light-${randomUUID()}`;
  const counter = new StreamCounter(prompts * deliveredPerPrompt(withStatus));
  let progressEvents = 0;
  let successes = 0;
  let statuses = 0;
  const connection = new ComfyConnection({
    baseUrl: server.url,
    clientId,
    pingIntervalMs: 0,
    deafAfterMs: 600_000,
  });
  const router = new PromptRouter({ onStatus: () => void statuses++ });
  const interpreter = new StepWeightedInterpreter();
  const hooks: GenerationHooks = {
    publish: (event) => {
      if (event.type === 'progress') progressEvents++;
    },
    onExecutionSuccess: () => void successes++,
    onTerminal: (generation) => router.unregister(generation.promptId),
  };
  const generations: Generation[] = [];
  for (let index = 0; index < prompts; index++) {
    const graph = txt2imgGraph(index);
    const generation = new Generation(
      { id: randomUUID(), promptId: randomUUID(), backend: 'fake', graph },
      interpreter.track(graph),
      hooks,
    );
    router.register(generation.promptId, generation);
    generations.push(generation);
  }
  let greet: (() => void) | undefined;
  const greeted = new Promise<void>((resolve) => (greet = resolve));
  // One listener, as ComfyBackend has: route, then count.
  connection.on('message', (message) => {
    router.route(message);
    counter.count();
    if (greet) {
      greet();
      greet = undefined;
    }
  });
  connection.on('preview', (preview) => router.routePreview(preview));
  try {
    connection.start();
    await connection.waitOpen(5_000);
    await greeted;
    await server.enqueue(
      clientId,
      generations.map((generation) => generation.promptId),
    );
    const before = await server.stats();
    await startProfile();
    counter.start();
    void server.go();
    const outcome = await withTimeout(counter.done, timeoutMs);
    await stopProfile(`relayLight-${withStatus ? 'status' : 'nostatus'}`);
    const after = await server.stats();
    const unfinished = generations.filter((generation) => !generation.finishing).length;
    const errors: string[] = [];
    if (outcome === 'timeout') errors.push(`timed out after ${timeoutMs} ms`);
    if (unfinished > 0) errors.push(`${unfinished} generations never saw their success`);
    return {
      messages: prompts * messagesPerPrompt(withStatus),
      received: counter.received,
      ingestMs: counter.ingestMs,
      settled: successes,
      progressEvents,
      requests: requestDelta(before, after),
      timedOut: outcome === 'timeout',
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    };
  } finally {
    await connection.stop();
  }
};

import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import type { BackendPool } from '../../src/backend/BackendPool.js';
import type { ComfyBackend } from '../../src/backend/ComfyBackend.js';
import { ComfyRelay } from '../../src/ComfyRelay.js';
import { createRelayContainer } from '../../src/di/createRelayContainer.js';
import { BackendPoolToken } from '../../src/di/tokens.js';
import type { RelayConfig } from '../../src/RelayConfig.js';
import type { RelayEvent } from '../../src/events.js';
import type { GenerationHandle } from '../../src/generation/GenerationHandle.js';
import { submitGraph, type RawSubmitOptions } from '../../src/internal/launchers.js';
import type { ApiWorkflow } from '../../src/protocol/graph.js';
import { silentLogger } from '../../src/util/Logger.js';
import { terminalStatuses } from '../../src/generation/GenerationState.js';
import { waitFor } from './waitFor.js';

export interface Fixture {
  sim: ComfySimulator;
  relay: ComfyRelay;
  /** The relay's backends (resolved from its container: tests look inside). */
  pool: BackendPool;
  /** The one backend, on the simulator. */
  backend: ComfyBackend;
  /**
   * Post a raw graph through the relay (protocol-level: tests only); resolves once ComfyUI
   * accepted it (or it ended first, e.g. refused).
   */
  submit(graph: ApiWorkflow, options?: RawSubmitOptions): Promise<GenerationHandle>;
  /** Every event the relay published, in order. */
  events: RelayEvent[];
  eventsOf(id: string): RelayEvent[];
  close(): Promise<void>;
}

/** A simulator and a started relay on it, recording every event. */
export async function startFixture(
  options: { stepDelayMs?: number; relay?: Partial<RelayConfig> } = {},
): Promise<Fixture> {
  const sim = await ComfySimulator.start({ port: 0, stepDelayMs: options.stepDelayMs ?? 5 });
  const container = createRelayContainer(
    {
      backends: [{ id: 'sim', url: sim.url }],
      historyRetryDelayMs: 20,
      // Everything goes to ComfyUI at once: these tests are about one backend's protocol.
      scheduling: { perBackend: Infinity },
      ...options.relay,
      connection: {
        backoff: { initialMs: 20, maxMs: 200 },
        deafAfterMs: 400,
        ...options.relay?.connection,
      },
    },
    { logger: silentLogger },
  );
  const relay = container.resolve(ComfyRelay);
  const pool = container.resolve(BackendPoolToken);
  const events: RelayEvent[] = [];
  relay.subscribe(
    { send: (event) => void events.push(event) },
    { name: 'test-recorder', coalesce: false, queueLimit: 100_000 },
  );
  await relay.start();
  await relay.ready();
  return {
    sim,
    relay,
    pool,
    backend: pool.backends[0]!,
    submit: async (graph, options) => {
      const handle = await submitGraph(relay, graph, options);
      await waitFor(
        () => {
          const record = handle.record();
          return record.submittedAt !== undefined || terminalStatuses.has(record.status);
        },
        { what: 'ComfyUI to accept the prompt' },
      );
      return handle;
    },
    events,
    eventsOf: (id) => eventsOfGeneration(events, id),
    async close() {
      await relay.stop();
      await sim.stop();
    },
  };
}

/** The harness workflow of the captures: a node that reports `steps` progress, then SaveImage. */
export function progressWorkflow(steps = 3, seed = Math.floor(Math.random() * 1e9)): ApiWorkflow {
  return {
    '1': { class_type: 'TestProgressNode', inputs: { seed, steps, width: 32, height: 32 } },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'relay_test' } },
  };
}

/** A checkpoint text-to-image graph with the real core node classes. */
export function txt2imgWorkflow(steps = 4, seed = Math.floor(Math.random() * 1e9)): ApiWorkflow {
  return {
    '4': {
      class_type: 'CheckpointLoaderSimple',
      inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' },
    },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a lighthouse at dusk', clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
    '3': {
      class_type: 'KSampler',
      inputs: {
        model: ['4', 0],
        seed,
        steps,
        cfg: 7,
        sampler_name: 'euler',
        scheduler: 'normal',
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
        denoise: 1,
      },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'txt2img' } },
  };
}

export function typesOf(events: RelayEvent[]): string[] {
  return events.map((event) => event.type);
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

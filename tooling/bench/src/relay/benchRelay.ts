import {
  BackendPoolToken,
  ComfyRelay,
  createRelayContainer,
  silentLogger,
  type GenerationStore,
} from '@comfyrelay/core';

/** Core does not export its backend class; its type is named through the DI token that holds it. */
type BackendPool = InstanceType<
  Extract<typeof BackendPoolToken, new (...args: never[]) => unknown>
>;
export type BenchBackend = BackendPool['backends'][number];

export interface BenchRelay {
  relay: ComfyRelay;
  /** The one backend, resolved through DI: its socket is where the stream is counted. */
  backend: BenchBackend;
}

/**
 * comfyrelay keeps its own queue and hands each backend only a few prompts at a time; opened
 * this wide, every generation goes to ComfyUI's queue at once and its messages all come down
 * the one socket: the load ANCHORS measures (1,000 tracked prompts from one client).
 */
const ALL_AT_ONCE = 1_000_000;

/**
 * A whole relay on one fake ComfyUI, built as an app builds it (a DI container) with core's
 * defaults, started and connected. Its own queue is opened wide unless `coreQueue` keeps it as
 * core sets it; `store` replaces core's default (an `InMemoryGenerationStore`).
 */
export async function startBenchRelay(
  url: string,
  clientId: string,
  options: {
    coreQueue?: boolean;
    store?: GenerationStore;
    /** Called with the relay before it starts (to subscribe to what its start publishes). */
    beforeStart?: (relay: ComfyRelay) => void;
  } = {},
): Promise<BenchRelay> {
  const container = createRelayContainer(
    {
      backends: [{ id: 'fake', url }],
      clientId,
      ...(options.coreQueue ? {} : { scheduling: { perBackend: ALL_AT_ONCE } }),
      logLevel: 'silent',
    },
    { logger: silentLogger, ...(options.store ? { store: options.store } : {}) },
  );
  const relay = container.resolve(ComfyRelay);
  const backend = container.resolve(BackendPoolToken).backends[0];
  if (!backend) throw new Error('the relay has no backend');
  options.beforeStart?.(relay);
  await relay.start();
  await relay.ready(5_000);
  return { relay, backend };
}

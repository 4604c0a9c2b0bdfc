import {
  BackendPoolToken,
  ComfyRelay,
  createRelayContainer,
  silentLogger,
  type RelayConfig,
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
 * A whole relay on one fake ComfyUI, built as an app builds it (a DI container), started and
 * connected.
 */
export async function startBenchRelay(
  url: string,
  clientId: string,
  overrides: Partial<RelayConfig> = {},
): Promise<BenchRelay> {
  const container = createRelayContainer(
    {
      backends: [{ id: 'fake', url }],
      clientId,
      // The fake sends no `status` on enqueue, so the deaf-socket check would misfire; ping off.
      connection: { deafAfterMs: 600_000, pingIntervalMs: 0 },
      historyRetryDelayMs: 50,
      logLevel: 'silent',
      ...overrides,
    },
    { logger: silentLogger },
  );
  const relay = container.resolve(ComfyRelay);
  const backend = container.resolve(BackendPoolToken).backends[0];
  if (!backend) throw new Error('the relay has no backend');
  await relay.start();
  await relay.ready(5_000);
  return { relay, backend };
}

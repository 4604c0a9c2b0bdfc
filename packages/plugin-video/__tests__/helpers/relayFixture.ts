import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { ComfyRelay, silentLogger, type Plugin, type RelayEvent } from '@comfyrelay/core';

export interface Fixture {
  sim: ComfySimulator;
  relay: ComfyRelay;
  /** Every event the relay published, in order, none coalesced. */
  events: RelayEvent[];
  eventsOf(id: string): RelayEvent[];
  /** Method and path of every HTTP request the simulator answered. */
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

/** A simulator on a free port and a started relay on it with `plugin` registered. */
export async function startFixture(
  plugin: Plugin,
  options: { stepDelayMs?: number } = {},
): Promise<Fixture> {
  const sim = await ComfySimulator.start({ port: 0, stepDelayMs: options.stepDelayMs ?? 2 });
  const requests: { method: string; path: string }[] = [];
  sim.on('http', ({ method, path }) => void requests.push({ method, path }));
  const relay = new ComfyRelay(
    {
      backends: [{ id: 'sim', url: sim.url }],
      historyRetryDelayMs: 20,
      connection: { backoff: { initialMs: 20, maxMs: 200 }, deafAfterMs: 2_000 },
    },
    silentLogger,
  );
  await relay.plugins.use(plugin);
  const events: RelayEvent[] = [];
  relay.events.subscribe(
    { send: (event) => void events.push(event) },
    { name: 'test-recorder', coalesce: false, queueLimit: 100_000 },
  );
  await relay.start();
  await relay.ready();
  return {
    sim,
    relay,
    events,
    eventsOf: (id) => events.filter((event) => 'id' in event && event.id === id),
    requests,
    async close() {
      await relay.stop();
      await sim.stop();
    },
  };
}

import { imagePlugin } from '@comfyrelay/plugin-image';
import {
  startRelayFixture,
  type RelayFixture,
  type RelayFixtureOptions,
} from '@comfyrelay/testkit';
import { startConsole, type ConsoleOptions, type RunningConsole } from '../../src/index.js';

export interface ConsoleFixture extends RelayFixture {
  console: RunningConsole;
  /** The console's base URL on 127.0.0.1, without the trailing slash. */
  base: string;
}

/** The simulator, a relay with the image workflows on it, and the console on a free port. */
export async function startConsoleFixture(
  options: Partial<ConsoleOptions> = {},
  relayOptions: RelayFixtureOptions = {},
): Promise<ConsoleFixture> {
  const fixture = await startRelayFixture({ plugins: [imagePlugin], ...relayOptions });
  let running: RunningConsole;
  try {
    running = await startConsole(fixture.relay, { port: 0, ...options });
  } catch (error) {
    await fixture.close();
    throw error;
  }
  return {
    ...fixture,
    console: running,
    base: `http://127.0.0.1:${running.port}`,
    async close() {
      await running.stop();
      await fixture.close();
    },
  };
}

import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, REST, type ClientOptions } from 'discord.js';
import { afterEach } from 'vitest';
import { FakeDiscord, type FakeDiscordOptions } from '../../src/index.js';

export interface Harness {
  start(options?: FakeDiscordOptions): Promise<FakeDiscord>;
  /** A discord.js client pointed at the fake, not logged in. */
  client(fake: FakeDiscord, options?: Partial<ClientOptions>): Client;
  /** A logged-in client, once it has emitted clientReady. */
  login(fake: FakeDiscord, options?: Partial<ClientOptions>): Promise<Client>;
  rest(fake: FakeDiscord): REST;
}

/** Fakes and clients for one test file; every test's are destroyed and stopped afterwards. */
export function useDiscordHarness(): Harness {
  const fakes: FakeDiscord[] = [];
  const clients: Client[] = [];
  const rests: REST[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.destroy()));
    for (const rest of rests.splice(0)) {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
    await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
  });
  const harness: Harness = {
    async start(options = {}) {
      const fake = await FakeDiscord.start({ heartbeatIntervalMs: 5_000, ...options });
      fakes.push(fake);
      return fake;
    },
    client(fake, options = {}) {
      const client = new Client({
        intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
        ...options,
        rest: { api: fake.apiUrl, ...options.rest },
      });
      clients.push(client);
      return client;
    },
    async login(fake, options = {}) {
      const client = harness.client(fake, options);
      const ready = once(client, Events.ClientReady);
      await client.login(fake.token);
      await ready;
      return client;
    },
    rest(fake) {
      const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
      rests.push(rest);
      return rest;
    },
  };
  return harness;
}

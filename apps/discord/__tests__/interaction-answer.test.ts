import { once } from 'node:events';
import { FakeDiscord, type InteractionHandle } from '@comfyrelay/testkit-discord';
import {
  Client,
  Events,
  GatewayIntentBits,
  REST,
  Routes,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { InteractionAnswer } from '../src/interactions/InteractionAnswer.js';
import { privateAnswerOf } from './helpers/messages.js';

/** A bare discord.js client on the fake, whose commands are answered only by the test. */
interface Stage {
  discord: FakeDiscord;
  rest: REST;
  /** Injects /ask and resolves with its handle and an answer whose guard defers at once. */
  ask(): Promise<{ handle: InteractionHandle; answer: InteractionAnswer }>;
}

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function stage(): Promise<Stage> {
  const discord = await FakeDiscord.start({ heartbeatIntervalMs: 5_000 });
  stops.push(() => discord.stop());
  const rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
  stops.push(async () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });
  await rest.put(Routes.applicationCommands(discord.applicationId), {
    body: [{ name: 'ask', description: 'Ask something' }],
  });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
  stops.push(() => client.destroy());
  const ready = once(client, Events.ClientReady);
  await client.login(discord.token);
  await ready;
  return {
    discord,
    rest,
    async ask() {
      const received = once(client, Events.InteractionCreate) as Promise<
        [ChatInputCommandInteraction]
      >;
      const handle = await discord.slashCommand({ name: 'ask' });
      const [interaction] = await received;
      const answer = new InteractionAnswer(
        rest,
        {
          id: interaction.id,
          token: interaction.token,
          applicationId: interaction.applicationId,
          createdAt: interaction.createdTimestamp,
          kind: 'command',
        },
        0,
        () => undefined,
      );
      stops.push(async () => answer.close());
      return { handle, answer };
    },
  };
}

describe('InteractionAnswer: the one initial response, before Discord’s 3 seconds run out', () => {
  it('the guard defers; a private answer then replaces the public "thinking…" message', async () => {
    const { discord, ask } = await stage();
    const { handle, answer } = await ask();
    expect((await handle.response()).type).toBe(5);

    await answer.reply({ text: 'That checkpoint does not exist.' }, true);
    const shown = await privateAnswerOf(discord, handle);
    expect(shown.content).toBe('That checkpoint does not exist.');
    expect(handle.original()?.deleted).toBe(true);
    expect(discord.messages().filter((m) => !m.deleted && !m.ephemeral)).toEqual([]);
  });

  it('a job opened after the guard deferred is shown in that same message', async () => {
    const { ask } = await stage();
    const { handle, answer } = await ask();
    await handle.response();

    expect(await answer.openMessage()).toBe(handle.original()?.id);
    expect(handle.callbacks).toHaveLength(1);
  });

  it('a public answer after the deferral fills the deferred message', async () => {
    const { ask } = await stage();
    const { handle, answer } = await ask();
    await handle.response();

    await answer.reply({ text: 'Here it is' }, false);
    const original = await handle.waitForOriginal((m) => !m.loading);
    expect(original.content).toBe('Here it is');
    expect(original.ephemeral).toBe(false);
  });
});

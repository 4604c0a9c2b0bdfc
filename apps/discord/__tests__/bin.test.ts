import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { FakeDiscord } from '@comfyrelay/testkit-discord';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBot, spawnBot } from './helpers/childBot.js';
import { isPng, isResult, originalMatching } from './helpers/messages.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

beforeAll(async () => {
  await buildBot();
}, 180_000);

async function setting() {
  const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 2 });
  cleanups.push(() => sim.stop());
  const discord = await FakeDiscord.start({ heartbeatIntervalMs: 5_000 });
  cleanups.push(() => discord.stop());
  const dir = await mkdtemp(join(tmpdir(), 'comfyrelay-discord-bin-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const env = {
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_GUILD_IDS: discord.guild().id,
    COMFYUI_URL: sim.url,
    COMFYRELAY_DATA_DIR: join(dir, 'data'),
  };
  return { sim, discord, dir, env };
}

function start(env: Record<string, string>, cwd: string) {
  const bot = spawnBot(env, cwd);
  cleanups.push(async () => {
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  });
  return bot;
}

describe('the built bot, as a child process', () => {
  it('registers its commands once, answers /imagine, stops on SIGTERM; a restart writes no commands', async () => {
    const { discord, dir, env } = await setting();
    // The file `comfyrelay start` reads, with the environment over it: its other keys are let be.
    await writeFile(
      join(dir, 'comfyrelay.config.json'),
      JSON.stringify({
        servers: [{ url: env.COMFYUI_URL }],
        dataDir: 'data',
        discord: {
          applicationId: env.DISCORD_APPLICATION_ID,
          apiUrl: env.DISCORD_API_URL,
          guildIds: [env.DISCORD_GUILD_IDS],
        },
        console: { port: 0 },
        telegram: { token: '123:not-read-here' },
      }),
    );
    const fromFile = { DISCORD_TOKEN: env.DISCORD_TOKEN };
    const first = start(fromFile, dir);
    await first.waitForStdout(/running as/);
    expect(first.stdout()).toContain(`comfyrelay-discord: running as ${discord.botUser.username}`);
    expect(first.stdout()).toContain(
      `add it to a server: https://discord.com/oauth2/authorize?client_id=${discord.applicationId}&scope=bot+applications.commands&permissions=`,
    );
    expect(discord.commandWrites).toHaveLength(1);

    const run = await discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a child process', steps: 2 },
    });
    const final = await originalMatching(run, isResult);
    expect(isPng(final.attachments[0]!.bytes)).toBe(true);

    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.stdout()).toMatch(/stopped\n$/);

    const second = start(fromFile, dir);
    await second.waitForStdout(/running as/);
    expect(discord.commandWrites).toHaveLength(1);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
    for (const output of [first.stdout(), first.stderr(), second.stdout(), second.stderr()])
      expect(output).not.toContain(discord.token);
  });

  it('a bad setting: the report naming it, exit 2; no token: one line; no token in the output', async () => {
    const { discord, dir, env } = await setting();
    const badId = start({ ...env, DISCORD_APPLICATION_ID: 'my-bot' }, dir);
    expect(await badId.exit).toBe(2);
    expect(badId.stderr()).toBe(
      "comfyrelay-discord: the environment (no config file) has 1 problem:\n  discord.applicationId (from DISCORD_APPLICATION_ID): must be the application id from the Developer Portal (17 to 20 digits), got 'my-bot'\n",
    );
    expect(badId.stdout()).toBe('');

    const noToken = start({ COMFYUI_URL: env.COMFYUI_URL }, dir);
    expect(await noToken.exit).toBe(2);
    expect(noToken.stderr()).toMatch(/^comfyrelay-discord: DISCORD_TOKEN is not set; [^\n]*\n$/);

    const noComfy = start({ ...env, COMFYUI_URL: '' }, dir);
    expect(await noComfy.exit).toBe(2);
    expect(noComfy.stderr()).toMatch(
      /^comfyrelay-discord: no ComfyUI server is configured; [^\n]*"comfyrelay discord"\n$/,
    );

    const refused = start({ ...env, DISCORD_TOKEN: 'd3Jvbmc.token.refused-by-discord' }, dir);
    expect(await refused.exit).toBe(1);
    // Start-up logs may come first; the reason is the one last line.
    const lines = refused.stderr().trim().split('\n');
    expect(lines.at(-1)).toMatch(/^comfyrelay-discord: could not log in to Discord: /);
    expect(lines.filter((line) => line.startsWith('comfyrelay-discord:'))).toHaveLength(1);

    for (const run of [badId, noToken, noComfy, refused]) {
      expect(run.stderr()).not.toContain(discord.token);
      expect(run.stderr()).not.toContain('refused-by-discord');
    }
  });
});

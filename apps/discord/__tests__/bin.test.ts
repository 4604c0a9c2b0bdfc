import { mkdtemp, rm } from 'node:fs/promises';
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
    const first = start(env, dir);
    await first.waitForStdout(/is running/);
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

    const second = start(env, dir);
    await second.waitForStdout(/is running/);
    expect(discord.commandWrites).toHaveLength(1);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
    for (const output of [first.stdout(), first.stderr(), second.stdout(), second.stderr()])
      expect(output).not.toContain(discord.token);
  });

  it('a bad setting: one line naming it, a non-zero exit, no token in the output', async () => {
    const { discord, dir, env } = await setting();
    const badId = start({ ...env, DISCORD_APPLICATION_ID: 'my-bot' }, dir);
    expect(await badId.exit).not.toBe(0);
    expect(badId.stderr()).toMatch(/^comfyrelay-discord: DISCORD_APPLICATION_ID must be .*\n$/);
    expect(badId.stdout()).toBe('');

    const noComfy = start({ ...env, COMFYUI_URL: '' }, dir);
    expect(await noComfy.exit).not.toBe(0);
    expect(noComfy.stderr()).toMatch(/^comfyrelay-discord: COMFYUI_URL is not set.*\n$/);

    const refused = start({ ...env, DISCORD_TOKEN: 'd3Jvbmc.token.refused-by-discord' }, dir);
    expect(await refused.exit).not.toBe(0);
    // Start-up logs may come first; the reason is the one last line.
    const lines = refused.stderr().trim().split('\n');
    expect(lines.at(-1)).toMatch(/^comfyrelay-discord: could not log in to Discord: /);
    expect(lines.filter((line) => line.startsWith('comfyrelay-discord:'))).toHaveLength(1);

    for (const run of [badId, noComfy, refused]) {
      expect(run.stderr()).not.toContain(discord.token);
      expect(run.stderr()).not.toContain('refused-by-discord');
    }
  });
});

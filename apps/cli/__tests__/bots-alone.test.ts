import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPng } from '@comfyrelay/testkit';
import { FakeDiscord } from '@comfyrelay/testkit-discord';
import { FakeTelegram } from '@comfyrelay/testkit-telegram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/capture.js';
import { discordEnv, discordResult, telegramResult } from './helpers/chatFakes.js';
import { buildBin, spawnBin, type BinRun } from './helpers/childBin.js';

/**
 * Issues #11 and #12: `comfyrelay discord` and `comfyrelay telegram` run the platform with that
 * bot alone: the configuration `start` reads, the data directory, the simulator when no server
 * is configured, a graceful stop; no console. Without the bot's token: one line, exit 2.
 */

let root: Awaited<ReturnType<typeof tempDir>>;
let discord: FakeDiscord;
let telegram: FakeTelegram;
const runs: BinRun[] = [];

const ann = { id: 7001, first_name: 'Ann', username: 'ann' };
const annChat = { id: 7001, type: 'private' as const };

beforeAll(async () => {
  await buildBin();
  root = await tempDir('comfyrelay-bots-alone-');
  discord = await FakeDiscord.start({ heartbeatIntervalMs: 5_000 });
  telegram = await FakeTelegram.start({ bot: { username: 'render_bot', first_name: 'Render' } });
}, 180_000);

afterAll(async () => {
  for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  await Promise.all(runs.map((run) => run.exit));
  await discord?.stop();
  await telegram?.stop();
  await root?.remove();
});

async function folder(name: string): Promise<string> {
  const dir = join(root.path, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

function spawn(args: string[], cwd: string, env: Record<string, string> = {}): BinRun {
  const run = spawnBin(args, { cwd, env });
  runs.push(run);
  return run;
}

describe('comfyrelay discord', () => {
  it('runs the Discord bot alone on the simulator: /imagine delivers; SIGTERM → exit 0', async () => {
    const cwd = await folder('discord');
    const run = spawn(['discord'], cwd, discordEnv(discord));
    await run.waitForStdout(/Press Ctrl-C to stop\.\n/);
    const banner = run.stdout();
    expect(banner).toMatch(
      /\n {2}discord +ready as .+; add it to a server: https:\/\/discord\.com\//,
    );
    expect(banner).toContain('\n  frontends     discord\n');
    expect(banner).not.toContain('console');
    expect(banner).toContain('(the built-in simulator, as no ComfyUI server is configured');
    expect(banner).toContain(`data          ${join(cwd, 'data')} `);

    const interaction = await run.whileRunning(
      discord.slashCommand({ name: 'imagine', options: { prompt: 'alone on discord', steps: 2 } }),
    );
    const final = await run.whileRunning(discordResult(interaction));
    expect(isPng(Buffer.from(final.attachments[0]!.bytes))).toBe(true);

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toMatch(/\nstopped\n$/);
    expect(run.stdout() + run.stderr()).not.toContain(discord.token);
  });

  it('without DISCORD_TOKEN (nor discord.token): one line, exit 2, nothing started', async () => {
    const cwd = await folder('discord-no-token');
    const run = spawn(['discord'], cwd);
    expect(await run.exit).toBe(2);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toBe(
      'comfyrelay discord: DISCORD_TOKEN is not set; give it the bot token and DISCORD_APPLICATION_ID the application id from the Discord Developer Portal (or set discord.token and discord.applicationId in the config file)\n',
    );
  });

  it('a token Discord refuses: one line naming the reason, exit 1, the token nowhere', async () => {
    const cwd = await folder('discord-refused');
    const token = 'd3Jvbmc.token.refused-by-discord';
    const run = spawn(['discord'], cwd, {
      ...discordEnv(discord),
      DISCORD_TOKEN: token,
      COMFYRELAY_LOG_LEVEL: 'silent',
    });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/^comfyrelay discord: could not log in to Discord: [^\n]+\n$/);
    expect(run.stdout() + run.stderr()).not.toContain('refused-by-discord');
  });
});

describe('comfyrelay telegram', () => {
  it('runs the Telegram bot alone, configured by the file start reads: /imagine delivers; SIGTERM → exit 0', async () => {
    const cwd = await folder('telegram');
    await writeFile(
      join(cwd, 'comfyrelay.config.yaml'),
      [
        'telegram:',
        `  apiRoot: ${telegram.apiRoot}`,
        'discord:',
        `  applicationId: "${discord.applicationId}"`,
        `  token: ${discord.token}`,
        'console: { port: 0 }',
        '',
      ].join('\n'),
    );
    const run = spawn(['telegram'], cwd, { TELEGRAM_BOT_TOKEN: telegram.token });
    await run.waitForStdout(/Press Ctrl-C to stop\.\n/);
    const banner = run.stdout();
    expect(banner).toContain(
      '\n  telegram      @render_bot (long polling); people find it at https://t.me/render_bot\n',
    );
    expect(banner).toContain('\n  frontends     telegram\n');
    expect(banner).toContain(
      '\n  note: Discord is configured, but this command runs only Telegram ("comfyrelay start" runs every bot)\n',
    );
    expect(banner).toContain(
      `config        ${join(cwd, 'comfyrelay.config.yaml')} and the environment`,
    );

    const reply = await run.whileRunning(
      telegram
        .sendText({ chat: annChat, from: ann, text: '/imagine alone on telegram --steps 2' })
        .reply(),
    );
    const final = await run.whileRunning(telegramResult(telegram, annChat.id, reply.message_id));
    expect(final.caption).toContain('alone on telegram');

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    const output = run.stdout() + run.stderr();
    expect(output).not.toContain(telegram.token);
    expect(output).not.toContain(discord.token);
  });

  it('without TELEGRAM_BOT_TOKEN (nor telegram.token): one line, exit 2', async () => {
    const cwd = await folder('telegram-no-token');
    const run = spawn(['telegram'], cwd, discordEnv(discord));
    expect(await run.exit).toBe(2);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toBe(
      'comfyrelay telegram: TELEGRAM_BOT_TOKEN is not set; give it the token @BotFather made for your bot (or set telegram.token in the config file)\n',
    );
  });

  it('the console’s --port is not an option of a bot alone', async () => {
    const run = spawn(['telegram', '--port', '0'], await folder('telegram-port'));
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(/^comfyrelay telegram: unknown option --port/);
  });
});

import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { FakeTelegram } from '@comfyrelay/testkit-telegram';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBot, spawnBot } from './helpers/builtBot.js';
import { pauseAfterFirstStep, showsResult, waitForMessage, wordsOf } from './helpers/observe.js';
import { ann, annChat, BOT } from './helpers/people.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

beforeAll(buildBot, 120_000);

async function workDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'comfyrelay-telegram-bin-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('the built bot (dist/bin.js) as a child process', () => {
  it('without a token: one line on stderr, exit 2', async () => {
    const run = spawnBot({}, await workDir());
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(/^comfyrelay-telegram: TELEGRAM_BOT_TOKEN is not set; [^\n]*\n$/);
    expect(run.stdout()).toBe('');
  });

  it('a bad value: the report naming the key and its variable, exit 2, the token nowhere', async () => {
    const token = '555555:SECRET-token-value';
    const run = spawnBot(
      { TELEGRAM_BOT_TOKEN: token, TELEGRAM_ALLOWED_CHATS: 'general' },
      await workDir(),
    );
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(
      "comfyrelay-telegram: the environment (no config file) has 1 problem:\n  telegram.allowedChats[0] (from TELEGRAM_ALLOWED_CHATS): expected a chat id (a whole number such as -1001234567890), got 'general'\n",
    );
    expect(run.stderr() + run.stdout()).not.toContain(token);
  });

  it('no ComfyUI server configured: one line pointing at the simulator of "comfyrelay telegram"', async () => {
    const run = spawnBot({ TELEGRAM_BOT_TOKEN: '555555:SECRET-token-value' }, await workDir());
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(
      'comfyrelay-telegram: no ComfyUI server is configured; set COMFYUI_URL (or "servers" in the config file), or try the bot on the built-in simulator with "comfyrelay telegram"\n',
    );
  });

  it('a token Telegram refuses: one line, non-zero, the token nowhere', async () => {
    const telegram = await FakeTelegram.start();
    cleanup.push(() => telegram.stop());
    const token = '999999:WRONG-token-value';
    const run = spawnBot(
      {
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        COMFYUI_URL: 'http://127.0.0.1:9',
        COMFYRELAY_LOG_LEVEL: 'silent',
      },
      await workDir(),
    );
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toBe(
      'comfyrelay-telegram: Telegram refused the bot token (telegram.token or TELEGRAM_BOT_TOKEN): 401 Unauthorized; check it with @BotFather\n',
    );
    expect(run.stdout()).not.toContain(token);
  });

  it('starts, answers /imagine, and on SIGTERM finishes what runs, then exits 0', async () => {
    const sim = await ComfySimulator.start({ port: 0, stepDelayMs: 5 });
    cleanup.push(() => sim.stop());
    const telegram = await FakeTelegram.start({ bot: { username: BOT } });
    cleanup.push(() => telegram.stop());
    const cwd = await workDir();
    // The file `comfyrelay start` reads (its other keys let be), the token from the environment.
    await writeFile(
      join(cwd, 'comfyrelay.config.yaml'),
      [
        'servers:',
        `  - url: ${sim.url}`,
        'dataDir: data',
        'logging: { level: debug }',
        'telegram:',
        `  apiRoot: ${telegram.apiRoot}`,
        'discord:',
        '  applicationId: "123456789012345678"',
        'console: { port: 0 }',
        '',
      ].join('\n'),
    );
    const run = spawnBot({ TELEGRAM_BOT_TOKEN: telegram.token }, cwd);
    cleanup.push(async () => {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await run.exit;
    });
    await run.waitForStdout(new RegExp(`@${BOT} is running \\(long polling\\)`));

    const reply = await run.whileRunning(
      telegram
        .sendText({ chat: annChat, from: ann, text: '/imagine from the built bot --steps 2' })
        .reply(),
    );
    const final = await run.whileRunning(
      waitForMessage(telegram, annChat.id, reply.message_id, showsResult, 'the result'),
    );
    expect(wordsOf(final)).toContain('from the built bot');
    expect(final.media?.type).toBe('photo');
    expect(await readdir(join(cwd, 'data'))).not.toEqual([]);

    // SIGTERM mid-job: the bot lets it finish and shows its result before it exits.
    const step = pauseAfterFirstStep(sim);
    const unfinished = await run.whileRunning(
      telegram
        .sendText({ chat: annChat, from: ann, text: '/imagine finished on the way out --steps 3' })
        .reply(),
    );
    await step.paused;
    run.child.kill('SIGTERM');
    await run.waitForStdout(/stopping…/);
    step.resume();
    const last = await waitForMessage(
      telegram,
      annChat.id,
      unfinished.message_id,
      showsResult,
      'the last result',
    );
    expect(wordsOf(last)).toContain('finished on the way out');
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toMatch(/stopping…\n.*stopped\n$/);
    expect(run.stdout() + run.stderr()).not.toContain(telegram.token);
  });
});

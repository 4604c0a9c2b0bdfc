import { isPng } from '@comfyrelay/testkit';
import { FakeDiscord } from '@comfyrelay/testkit-discord';
import { FakeTelegram } from '@comfyrelay/testkit-telegram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/capture.js';
import { discordEnv, discordResult, telegramEnv, telegramResult } from './helpers/chatFakes.js';
import { buildBin } from './helpers/childBin.js';
import { killLeftoverPlatforms, startPlatformBin } from './helpers/startedPlatform.js';

/**
 * Issues #11, #12, #13: `comfyrelay start` runs every bot that has credentials beside the
 * console, on one relay. The built binary, configured through the environment, against the fake
 * Discord and the fake Bot API over real sockets, with no ComfyUI configured (the simulator).
 */

let dir: Awaited<ReturnType<typeof tempDir>>;
let discord: FakeDiscord;
let telegram: FakeTelegram;

const ann = { id: 7001, first_name: 'Ann', username: 'ann' };
const annChat = { id: 7001, type: 'private' as const };

beforeAll(async () => {
  await buildBin();
  dir = await tempDir('comfyrelay-start-bots-');
  discord = await FakeDiscord.start({ heartbeatIntervalMs: 5_000 });
  telegram = await FakeTelegram.start({ bot: { username: 'render_bot', first_name: 'Render' } });
}, 180_000);

afterAll(async () => {
  await killLeftoverPlatforms();
  await discord?.stop();
  await telegram?.stop();
  await dir?.remove();
});

interface ListedGeneration {
  id: string;
  status: string;
  origin?: { platform?: string; userId?: string };
}

describe('comfyrelay start with DISCORD_TOKEN and TELEGRAM_BOT_TOKEN set', () => {
  it('runs both bots and the console on one relay: an /imagine on each delivers, the console lists both', async () => {
    const platform = await startPlatformBin(['--port', '0'], {
      cwd: dir.path,
      env: { ...discordEnv(discord), ...telegramEnv(telegram) },
    });
    const { run } = platform;
    const banner = run.stdout();
    expect(banner).toMatch(
      new RegExp(
        `\\n  discord +ready as ${discord.botUser.username}, its commands registered in 1 server; add it to a server: https://discord\\.com/oauth2/authorize\\?client_id=${discord.applicationId}&scope=bot\\+applications\\.commands&permissions=\\d+\\n`,
      ),
    );
    expect(banner).toContain(
      '\n  telegram      @render_bot (long polling); people find it at https://t.me/render_bot\n',
    );
    expect(banner).toContain('\n  frontends     console, discord, telegram\n');
    expect(banner).toContain('(the built-in simulator, as no ComfyUI server is configured');
    expect(discord.commandWrites).toHaveLength(1);

    // One person on each platform, at once.
    const onDiscord = discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a fox on discord', steps: 2 },
    });
    const onTelegram = telegram
      .sendText({ chat: annChat, from: ann, text: '/imagine a fox on telegram --steps 2' })
      .reply();
    const [interaction, reply] = await run.whileRunning(Promise.all([onDiscord, onTelegram]));
    const [discordFinal, telegramFinal] = await run.whileRunning(
      Promise.all([
        discordResult(interaction),
        telegramResult(telegram, annChat.id, reply.message_id),
      ]),
    );
    expect(isPng(Buffer.from(discordFinal.attachments[0]!.bytes))).toBe(true);
    expect(discordFinal.content).toContain('a fox on discord');
    expect(telegramFinal.media?.type).toBe('photo');
    expect(telegramFinal.caption).toContain('a fox on telegram');

    // The console saw both, each with the platform it came from.
    const answer = await platform.api('/api/generations');
    expect(answer.status).toBe(200);
    const { generations } = (await answer.json()) as { generations: ListedGeneration[] };
    const byPlatform = new Map(generations.map((g) => [g.origin?.platform, g]));
    expect(byPlatform.get('discord')).toMatchObject({ status: 'succeeded' });
    expect(byPlatform.get('telegram')).toMatchObject({
      status: 'succeeded',
      origin: { userId: String(ann.id) },
    });

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toMatch(/stopping: taking no new work; [^\n]*\nstopped\n$/);
    const output = run.stdout() + run.stderr();
    expect(output).not.toContain(discord.token);
    expect(output).not.toContain(telegram.token);
  });
});

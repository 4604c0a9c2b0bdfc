import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ComfySimulator } from '@comfyrelay/comfyui-sim';
import { HttpGateway, isPng } from '@comfyrelay/testkit';
import { FakeDiscord } from '@comfyrelay/testkit-discord';
import { FakeTelegram } from '@comfyrelay/testkit-telegram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/capture.js';
import { buildBin } from './helpers/childBin.js';
import { liveEvents } from './helpers/liveEvents.js';
import {
  killLeftoverPlatforms,
  postGeneration,
  startPlatformBin,
} from './helpers/startedPlatform.js';

/**
 * Issue #13: a log of a start-up with every secret set contains none of them: the console's
 * access token, a ComfyUI server's basic password and another's bearer token (from the config
 * file), the bots' tokens and the Telegram button and webhook secrets (from the environment; the
 * bots run against the fake Discord and Bot API). Logged at debug, with a generation run through
 * both gateways' auth and refused requests on the way.
 */

const CONSOLE_TOKEN = 'console-token-4f9d2a7c81e3b605';
const BASIC_PASSWORD = 'basic-password-9e71c3';
const BEARER_TOKEN = 'bearer-token-2b8e6f14d0a9';
const DISCORD_TOKEN = 'MTAxNTk4.discord-token.Xy7Qp3Lm9Kd2';
const TELEGRAM_BOT_TOKEN = '123456789:telegram-token-AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const TELEGRAM_BUTTON_SECRET = 'button-secret-5c2e9a71d04b';
const BASIC_HEADER = `Basic ${Buffer.from(`ops:${BASIC_PASSWORD}`).toString('base64')}`;

let dir: Awaited<ReturnType<typeof tempDir>>;
let sim: ComfySimulator;
let basic: HttpGateway;
let bearer: HttpGateway;
let discord: FakeDiscord;
let telegram: FakeTelegram;

beforeAll(async () => {
  await buildBin();
  dir = await tempDir('comfyrelay-secrets-');
  sim = await ComfySimulator.start({ port: 0, host: '127.0.0.1', stepDelayMs: 5 });
  basic = await HttpGateway.start({
    target: sim.url,
    refuse: (request) => (request.authorization === BASIC_HEADER ? undefined : 401),
  });
  bearer = await HttpGateway.start({
    target: sim.url,
    refuse: (request) => (request.authorization === `Bearer ${BEARER_TOKEN}` ? undefined : 401),
  });
  discord = await FakeDiscord.start({ token: DISCORD_TOKEN, heartbeatIntervalMs: 5_000 });
  telegram = await FakeTelegram.start({ token: TELEGRAM_BOT_TOKEN });
}, 180_000);

afterAll(async () => {
  await killLeftoverPlatforms();
  await basic?.stop();
  await bearer?.stop();
  await discord?.stop();
  await telegram?.stop();
  await sim?.stop();
  await dir?.remove();
});

describe('the log of comfyrelay start', () => {
  it('holds none of the secrets it was given, whatever it logs', async () => {
    await writeFile(
      join(dir.path, 'comfyrelay.config.json'),
      JSON.stringify({
        servers: [
          { url: basic.url, id: 'basic', auth: { username: 'ops', password: BASIC_PASSWORD } },
          { url: bearer.url, id: 'bearer', auth: { token: BEARER_TOKEN } },
        ],
        console: { port: 0, accessToken: CONSOLE_TOKEN },
        logging: { level: 'debug' },
      }),
    );
    const platform = await startPlatformBin([], {
      cwd: dir.path,
      env: {
        DISCORD_TOKEN,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
        TELEGRAM_BOT_TOKEN,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_BUTTON_SECRET,
      },
      accessToken: CONSOLE_TOKEN,
    });
    expect(platform.run.stdout()).toContain(`ComfyUI       ${basic.url} (basic, basic auth)`);
    expect(platform.run.stdout()).toContain(`ComfyUI       ${bearer.url} (bearer, bearer token)`);
    expect(platform.run.stdout()).toContain('(sign in with the access token)');

    // Without the token the console answers nobody; with it, a generation runs through the auth.
    expect((await fetch(new URL('/api/workflows', platform.consoleUrl))).status).toBe(401);
    const live = liveEvents(platform.eventsUrl, { authorization: `Bearer ${CONSOLE_TOKEN}` });
    await live.waitFor((m) => m.type === 'snapshot');
    const runs = await Promise.all(
      [1, 2].map(() =>
        postGeneration(platform, 'image.txt2img', {
          prompt: 'a lighthouse',
          steps: 2,
          width: 64,
          height: 64,
        }),
      ),
    );
    for (const run of runs) await live.waitFor((m) => m.type === 'succeeded' && m.id === run.id);
    const image = await platform.api(`/api/generations/${runs[0]?.id}/outputs/0`);
    expect(isPng(Buffer.from(await image.arrayBuffer()))).toBe(true);
    expect(basic.requests.some((request) => request.authorization === BASIC_HEADER)).toBe(true);
    expect(
      bearer.requests.some((request) => request.authorization === `Bearer ${BEARER_TOKEN}`),
    ).toBe(true);

    platform.run.child.kill('SIGTERM');
    expect(await platform.run.exit).toBe(0);
    const log = platform.run.stdout() + platform.run.stderr();
    expect(platform.run.stderr()).toContain('"level":20'); // debug lines were written
    for (const secret of [
      CONSOLE_TOKEN,
      BASIC_PASSWORD,
      BEARER_TOKEN,
      DISCORD_TOKEN,
      TELEGRAM_BOT_TOKEN,
      TELEGRAM_BUTTON_SECRET,
      BASIC_HEADER.slice('Basic '.length),
    ])
      expect(log).not.toContain(secret);
    expect(platform.run.stdout()).toContain('frontends     console, discord, telegram\n');
  });
});

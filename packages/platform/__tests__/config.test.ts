import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineSection,
  formatProblems,
  loadConfig,
  DERIVED_MASK,
  MASK,
  PLATFORM_SECTIONS,
  platformOptionsFrom,
  type Environment,
} from '../src/index.js';

// A section shaped like an app's, to prove the loader knows nothing of the apps.
const chatSection = defineSection({
  key: 'chat',
  schema: z
    .strictObject({
      token: z.string().regex(/^\w+\.\w+$/, { error: 'is not a bot token' }),
      applicationId: z.string().regex(/^\d{17,20}$/, {
        error: 'expected a snowflake (17 to 20 digits)',
      }),
      guildIds: z.array(z.string().regex(/^\d{17,20}$/)).default([]),
      previews: z.boolean().default(true),
    })
    .optional(),
  env: {
    CHAT_TOKEN: 'token',
    CHAT_APPLICATION_ID: 'applicationId',
    CHAT_GUILD_IDS: { path: 'guildIds', read: 'list' },
    CHAT_PREVIEWS: { path: 'previews', read: 'flag' },
  },
  secrets: ['token'],
});

const SECTIONS = [...PLATFORM_SECTIONS, chatSection] as const;

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'comfyrelay-config-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function problemsOf(files: Record<string, string>, env: Environment = {}, file?: string) {
  const cwd = await folderWith(files);
  const loaded = await loadConfig({ sections: SECTIONS, env, cwd, ...(file ? { file } : {}) });
  if (loaded.ok) throw new Error('expected problems');
  return loaded.problems.map((problem) =>
    problem.env
      ? `${problem.key} (from ${problem.env}): ${problem.message}`
      : `${problem.key}: ${problem.message}`,
  );
}

const json = (value: unknown) => ({ 'comfyrelay.config.json': JSON.stringify(value, null, 2) });

describe('the configuration: one file, the environment over it, one typed result', () => {
  it('with nothing given, every default holds (the simulator, ./data, 30 days, 2 per server)', async () => {
    const loaded = await loadConfig({ sections: SECTIONS, env: {}, cwd: await folderWith({}) });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.source).toBe('the environment (no config file)');
    expect(loaded.config.servers).toEqual([]);
    expect(loaded.config.dataDir).toBe('./data');
    expect(loaded.config.retentionDays).toBe(30);
    expect(loaded.config.limits).toEqual({
      perServer: 2,
      timeoutMinutes: 10,
      unreachableGraceSeconds: 180,
      retryRunningOnUnreachable: false,
    });
    expect(loaded.config.shutdownSeconds).toBe(30);
    expect(loaded.config.logging).toEqual({ level: 'info', format: 'auto' });
    expect(loaded.config.chat).toBeUndefined();
  });

  it('the shutdown time: from the file, the environment over it (0: leave running work for the next start)', async () => {
    const fromFile = await loadConfig({
      sections: SECTIONS,
      env: {},
      cwd: await folderWith(json({ shutdownSeconds: 90 })),
    });
    expect(fromFile.ok && fromFile.config.shutdownSeconds).toBe(90);
    const fromEnv = await loadConfig({
      sections: SECTIONS,
      env: { COMFYRELAY_SHUTDOWN_SECONDS: '0' },
      cwd: await folderWith(json({ shutdownSeconds: 90 })),
    });
    expect(fromEnv.ok && fromEnv.config.shutdownSeconds).toBe(0);
  });

  it('reads JSON and YAML files, and the environment wins over the file', async () => {
    const yaml = [
      'servers:',
      '  - url: http://gpu-1:8188',
      '    id: gpu-1',
      '  - url: https://comfy.example.com/',
      '    auth: { token: s3cret-bearer }',
      'limits:',
      '  perUserConcurrent: 2',
      'chat:',
      '  token: abc.def',
      '  applicationId: "123456789012345678"',
    ].join('\n');
    const cwd = await folderWith({ 'comfyrelay.config.yaml': yaml });
    const loaded = await loadConfig({
      sections: SECTIONS,
      env: {
        COMFYRELAY_MAX_JOBS_PER_USER: '5',
        CHAT_GUILD_IDS: '111111111111111111, 222222222222222222',
        CHAT_PREVIEWS: 'off',
      },
      cwd,
    });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.source).toBe(`${join(cwd, 'comfyrelay.config.yaml')} and the environment`);
    expect(loaded.config.servers).toEqual([
      { url: 'http://gpu-1:8188', id: 'gpu-1' },
      { url: 'https://comfy.example.com', auth: { token: 's3cret-bearer' } },
    ]);
    expect(loaded.config.limits.perUserConcurrent).toBe(5);
    expect(loaded.config.chat).toEqual({
      token: 'abc.def',
      applicationId: '123456789012345678',
      guildIds: ['111111111111111111', '222222222222222222'],
      previews: false,
    });
  });

  it('turns credentials in a server URL into basic auth and keeps them out of the URL', async () => {
    const loaded = await loadConfig({
      sections: SECTIONS,
      env: { COMFYUI_URL: 'http://ops:pa%3Ass@gpu-1:8188, http://gpu-2:8188' },
      cwd: await folderWith({}),
    });
    expect(loaded.ok && loaded.config.servers).toEqual([
      { url: 'http://gpu-1:8188', auth: { username: 'ops', password: 'pa:ss' } },
      { url: 'http://gpu-2:8188' },
    ]);
  });

  it('prints the effective config with every secret masked', async () => {
    const loaded = await loadConfig({
      sections: SECTIONS,
      env: {
        CHAT_TOKEN: 'abc.topsecret',
        CHAT_APPLICATION_ID: '123456789012345678',
        COMFYUI_URL: 'http://ops:hunter2@gpu:8188',
      },
      cwd: await folderWith({}),
    });
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems, loaded.source));
    const printed = JSON.stringify(loaded.effective);
    expect(printed).not.toContain('topsecret');
    expect(printed).not.toContain('hunter2');
    expect(loaded.effective['chat']).toMatchObject({
      token: MASK,
      applicationId: '123456789012345678',
    });
    expect(loaded.effective['servers']).toEqual([
      { url: 'http://gpu:8188', auth: { username: 'ops', password: MASK } },
    ]);
  });
});

// The corpus: each bad configuration with the words the operator reads.
describe('every problem at once, each naming its key', () => {
  const corpus: {
    name: string;
    files: Record<string, string>;
    env?: Environment;
    file?: string;
    expected: string[];
  }[] = [
    {
      name: 'a bad snowflake, from the file',
      files: json({ chat: { token: 'a.b', applicationId: 'abc' } }),
      expected: ["chat.applicationId: expected a snowflake (17 to 20 digits), got 'abc'"],
    },
    {
      name: 'the same, from the environment',
      files: {},
      env: { CHAT_TOKEN: 'a.b', CHAT_APPLICATION_ID: 'abc' },
      expected: [
        "chat.applicationId (from CHAT_APPLICATION_ID): expected a snowflake (17 to 20 digits), got 'abc'",
      ],
    },
    {
      name: 'a secret is never repeated',
      files: {},
      env: { CHAT_TOKEN: 'not-a-token-but-secret', CHAT_APPLICATION_ID: '123456789012345678' },
      expected: ['chat.token (from CHAT_TOKEN): is not a bot token'],
    },
    {
      name: 'a section missing a required key',
      files: {},
      env: { CHAT_APPLICATION_ID: '123456789012345678' },
      expected: ['chat.token: is required'],
    },
    {
      name: 'unknown keys, with the likely meant one',
      files: json({
        severs: [],
        logging: { levle: 'debug' },
        chat: { token: 'a.b', applicationId: '123456789012345678', guildIDs: [] },
      }),
      expected: [
        'severs: unknown key; did you mean servers?',
        'logging.levle: unknown key; did you mean level?',
        'chat.guildIDs: unknown key; did you mean guildIds?',
      ],
    },
    {
      name: 'several problems in one report',
      files: json({
        servers: [
          { url: 'htp:/oops' },
          { url: 'http://' },
          { url: 'http://ok:8188', id: 'has space' },
        ],
        retentionDays: -1,
        limits: { perUserConcurrent: 0, perServer: 1.5 },
        shutdownSeconds: 100_000,
      }),
      expected: [
        "servers[0].url: expected an http:// or https:// address with a host, such as http://127.0.0.1:8188, got 'htp:/oops'",
        "servers[1].url: expected an http:// or https:// address with a host, such as http://127.0.0.1:8188, got 'http://'",
        "servers[2].id: expected up to 40 letters, digits, dots, - or _, got 'has space'",
        'retentionDays: must be more than 0, got -1',
        'limits.perUserConcurrent: must be at least 1, got 0',
        'limits.perServer: expected a whole number, got 1.5',
        'shutdownSeconds: must be at most 86400, got 100000',
      ],
    },
    {
      name: 'bad environment values are not ignored',
      files: {},
      env: {
        COMFYRELAY_LOG_LEVEL: 'verbose',
        COMFYRELAY_MAX_QUEUED: 'lots',
        COMFYRELAY_SHUTDOWN_SECONDS: '-5',
        CHAT_TOKEN: 'a.b',
        CHAT_APPLICATION_ID: '123456789012345678',
        CHAT_PREVIEWS: 'maybe',
      },
      expected: [
        "limits.globalQueued (from COMFYRELAY_MAX_QUEUED): expected a number, got 'lots'",
        'shutdownSeconds (from COMFYRELAY_SHUTDOWN_SECONDS): must be at least 0, got -5',
        'logging.level (from COMFYRELAY_LOG_LEVEL): expected "debug", "info", "warn", "error", "silent", got \'verbose\'',
        "chat.previews (from CHAT_PREVIEWS): expected true or false, got 'maybe'",
      ],
    },
    {
      name: 'wrong types in the file',
      files: json({ servers: 'http://gpu:8188', limits: { perUserPerMinute: '5' }, logging: [] }),
      expected: [
        "servers: expected a list, got 'http://gpu:8188'",
        "limits.perUserPerMinute: expected a number, got '5'",
        'logging: expected keys and values (an object), got a list',
      ],
    },
    {
      name: 'auth that is neither basic nor bearer',
      files: json({ servers: [{ url: 'http://gpu:8188', auth: { user: 'x' } }] }),
      expected: [
        'servers[0].auth: expected { "username": …, "password": … } or { "token": … }, got keys and values',
      ],
    },
  ];

  for (const entry of corpus) {
    it(entry.name, async () => {
      expect(await problemsOf(entry.files, entry.env, entry.file)).toEqual(entry.expected);
    });
  }
});

describe('a config file that cannot be read says where and why', () => {
  it('a named file that is not there', async () => {
    expect(await problemsOf({}, {}, 'missing.json')).toEqual([
      expect.stringMatching(/^: .*missing\.json: there is no such file$/),
    ]);
  });

  it('JSON with a syntax error, by line and column', async () => {
    expect(await problemsOf({ 'comfyrelay.config.json': '{\n  "dataDir": "./d",\n}' })).toEqual([
      expect.stringMatching(/comfyrelay\.config\.json: not valid JSON at line 3, column 1: /),
    ]);
  });

  it('YAML with a syntax error, by line and column', async () => {
    expect(
      await problemsOf({ 'comfyrelay.config.yaml': 'servers:\n  - url: http://a\n   bad: [\n' }),
    ).toEqual([
      expect.stringMatching(/comfyrelay\.config\.yaml: not valid YAML at line \d+, column \d+: /),
    ]);
  });

  it('a file that is a list, not keys and values', async () => {
    expect(await problemsOf({ 'comfyrelay.config.json': '[]' })).toEqual([
      expect.stringMatching(/expected keys and values at the top/),
    ]);
  });

  it('a folder where the file should be', async () => {
    const cwd = await folderWith({});
    await mkdir(join(cwd, 'conf.json'));
    const loaded = await loadConfig({ sections: SECTIONS, env: {}, cwd, file: 'conf.json' });
    expect(!loaded.ok && loaded.problems[0]?.message).toMatch(/it is a folder, not a file$/);
  });
});

describe('sections of other programs and secrets a schema transforms', () => {
  it('keys another program reads from the same file are accepted as they are, a typo still flagged', async () => {
    const cwd = await folderWith(json({ dataDir: './d', telegram: { token: 'x' }, console: {} }));
    const loaded = await loadConfig({
      sections: PLATFORM_SECTIONS,
      env: {},
      cwd,
      otherSections: ['console', 'telegram'],
    });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.config.dataDir).toBe('./d');
    expect(Object.keys(loaded.config)).not.toContain('telegram');
    expect(Object.keys(loaded.effective)).not.toContain('telegram');

    const typo = await loadConfig({
      sections: PLATFORM_SECTIONS,
      env: {},
      cwd: await folderWith(json({ telegarm: {} })),
      otherSections: ['console', 'telegram'],
    });
    expect(!typo.ok && typo.problems).toEqual([
      { key: 'telegarm', message: 'unknown key; did you mean telegram?' },
    ]);
  });

  it('a secret the schema wraps (out of sight of the result) or derives still reaches the logger', async () => {
    class Wrapped {
      readonly #value: string;
      constructor(value: string) {
        this.#value = value;
      }
      reveal(): string {
        return this.#value;
      }
    }
    const wrapping = defineSection({
      key: 'bot',
      schema: z
        .strictObject({ token: z.string().min(8) })
        .transform(({ token }) => ({
          token: new Wrapped(token),
          derived: `derived-from-${token.length}-chars`,
        }))
        .optional(),
      env: { BOT_TOKEN: 'token' },
      secrets: ['token', 'derived'],
    });
    const loaded = await loadConfig({
      sections: [wrapping],
      env: { BOT_TOKEN: 'wrapped-secret-value' },
      cwd: await folderWith({}),
    });
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems, loaded.source));
    expect(loaded.config.bot?.token.reveal()).toBe('wrapped-secret-value');
    expect(loaded.secrets).toEqual(['wrapped-secret-value', 'derived-from-20-chars']);
    // Printed as set when given, as derived when the config made it up.
    expect(loaded.effective).toEqual({ bot: { token: MASK, derived: DERIVED_MASK } });
  });
});

describe('platformOptionsFrom: what the configuration sets of startPlatform', () => {
  it('servers with their credentials, the data directory from cwd, the shutdown time, limits and deadline', async () => {
    const cwd = await folderWith(
      json({
        servers: [
          { url: 'http://gpu-1:8188', id: 'one' },
          { url: 'https://comfy.example.com', auth: { token: 'bearer-token' } },
        ],
        dataDir: 'state',
        retentionDays: 7,
        limits: { perUserConcurrent: 2, globalQueued: 50, perServer: 3, timeoutMinutes: 5 },
        shutdownSeconds: 12,
      }),
    );
    const loaded = await loadConfig({ sections: PLATFORM_SECTIONS, env: {}, cwd });
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems, loaded.source));
    expect(platformOptionsFrom(loaded.config, cwd)).toEqual({
      servers: [
        { url: 'http://gpu-1:8188', id: 'one' },
        { url: 'https://comfy.example.com', auth: { token: 'bearer-token' } },
      ],
      dataDir: join(cwd, 'state'),
      retentionDays: 7,
      drainMs: 12_000,
      relay: {
        scheduling: { perBackend: 3, limits: { perUserConcurrent: 2, globalQueued: 50 } },
        deadlineMs: 300_000,
        unreachableGraceMs: 180_000,
        retryRunningOnUnreachable: false,
      },
    });
  });

  it('a generation running on a lost server starts over elsewhere when limits.retryRunningOnUnreachable says so (the environment over the file)', async () => {
    const cwd = await folderWith(json({ limits: { retryRunningOnUnreachable: true } }));
    const fromFile = await loadConfig({ sections: PLATFORM_SECTIONS, env: {}, cwd });
    if (!fromFile.ok) throw new Error(formatProblems(fromFile.problems, fromFile.source));
    expect(platformOptionsFrom(fromFile.config, cwd).relay.retryRunningOnUnreachable).toBe(true);

    const env = { COMFYRELAY_RETRY_RUNNING_ON_UNREACHABLE: 'off' };
    const fromEnv = await loadConfig({ sections: PLATFORM_SECTIONS, env, cwd });
    if (!fromEnv.ok) throw new Error(formatProblems(fromEnv.problems, fromEnv.source));
    expect(fromEnv.config.limits.retryRunningOnUnreachable).toBe(false);

    const wrong = await loadConfig({
      sections: PLATFORM_SECTIONS,
      env: { COMFYRELAY_RETRY_RUNNING_ON_UNREACHABLE: 'sometimes' },
      cwd,
    });
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(formatProblems(wrong.problems, wrong.source)).toContain(
      'limits.retryRunningOnUnreachable (from COMFYRELAY_RETRY_RUNNING_ON_UNREACHABLE)',
    );
  });

  it('how long a server may stay unreachable: limits.unreachableGraceSeconds, the environment over the file (0: forever)', async () => {
    const cwd = await folderWith(json({ limits: { unreachableGraceSeconds: 30 } }));
    const fromFile = await loadConfig({ sections: PLATFORM_SECTIONS, env: {}, cwd });
    if (!fromFile.ok) throw new Error(formatProblems(fromFile.problems, fromFile.source));
    expect(platformOptionsFrom(fromFile.config, cwd).relay.unreachableGraceMs).toBe(30_000);

    const env = { COMFYRELAY_UNREACHABLE_GRACE_SECONDS: '0' };
    const fromEnv = await loadConfig({ sections: PLATFORM_SECTIONS, env, cwd });
    if (!fromEnv.ok) throw new Error(formatProblems(fromEnv.problems, fromEnv.source));
    expect(platformOptionsFrom(fromEnv.config, cwd).relay.unreachableGraceMs).toBe(0);

    const wrong = await loadConfig({
      sections: PLATFORM_SECTIONS,
      env: { COMFYRELAY_UNREACHABLE_GRACE_SECONDS: '-5' },
      cwd,
    });
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(formatProblems(wrong.problems, wrong.source)).toContain(
      'limits.unreachableGraceSeconds (from COMFYRELAY_UNREACHABLE_GRACE_SECONDS)',
    );
  });
});

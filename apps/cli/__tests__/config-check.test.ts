import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MASK } from '@comfyrelay/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badConfigs, type BadConfig } from './corpus/badConfigs.js';
import { tempDir } from './helpers/capture.js';
import { buildBin, spawnBin, type BinRun } from './helpers/childBin.js';

/**
 * Issue #13: `comfyrelay config check` loads the configuration as `start` would and says every
 * problem at once, each naming its key (and the variable it came from); `start` refuses the same
 * configuration with the same report and starts nothing. The built binary, in a folder per case.
 */

let root: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  await buildBin();
  root = await tempDir('comfyrelay-configs-');
}, 180_000);

const starts: BinRun[] = [];

afterAll(async () => {
  // A configuration the corpus took for bad but start accepted would still be running.
  for (const run of starts) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  await Promise.all(starts.map((run) => run.exit));
  await root?.remove();
});

/** A folder holding these files. */
async function folderWith(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root.path, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

/** What no message to a person may hold. */
function expectPlainWords(text: string): void {
  expect(text).not.toMatch(/^\s+at /m); // a stack trace
  expect(text).not.toMatch(/\bE[A-Z]{3,}\b/); // ENOENT, EISDIR …
  expect(text).not.toContain('Error:');
  expect(text).not.toContain('internal error');
}

describe.concurrent('bad configurations: config check says every problem, exit 2', () => {
  it.each(badConfigs.map((c) => [c.id, c] as const))('%s', async (id, bad: BadConfig) => {
    const dir = await folderWith(id, bad.files);
    const run = spawnBin(['config', 'check', ...(bad.file ? [bad.file] : [])], {
      cwd: dir,
      ...(bad.env ? { env: bad.env } : {}),
    });
    expect(await run.exit).toBe(2);
    expect(run.stdout()).toBe('');
    expectPlainWords(run.stderr());
    expect(run.stderr()).toBe(`comfyrelay config: ${bad.says.replaceAll('{dir}', dir)}\n`);
  });
});

describe.concurrent(
  'bad configurations: start refuses them with the same report, starts nothing',
  () => {
    it.each(badConfigs.map((c) => [c.id, c] as const))('%s', async (id, bad: BadConfig) => {
      const dir = await folderWith(`start-${id}`, bad.files);
      const run = spawnBin(['start', ...(bad.file ? ['--config', bad.file] : [])], {
        cwd: dir,
        ...(bad.env ? { env: bad.env } : {}),
      });
      starts.push(run);
      expect(await run.exit).toBe(2);
      expect(run.stdout()).toBe('');
      expect(run.stderr()).toBe(
        `comfyrelay start: ${bad.says.replaceAll('{dir}', dir)}\nNothing was started ("comfyrelay config check" shows the same report).\n`,
      );
      // Nothing was started: no simulator, no data directory.
      await expect(readFile(join(dir, 'data', 'comfyrelay.sqlite'))).rejects.toThrow();
    });
  },
);

describe('a good configuration', () => {
  const BASIC_PASSWORD = 'pa55-word-for-ops';
  const BEARER_TOKEN = 'bearer-0123456789';
  const CONSOLE_TOKEN = 'console-token-0123456789';

  it('prints where it came from and what start would run with, every secret masked; exit 0', async () => {
    const dir = await folderWith('good', {
      'comfyrelay.config.yaml': [
        'servers:',
        '  - url: http://gpu-1:8188/',
        `  - url: http://ops:${BASIC_PASSWORD}@gpu-2:8188`,
        '  - url: https://comfy.example.com',
        `    auth: { token: ${BEARER_TOKEN} }`,
        'dataDir: ./state',
        'limits: { perUserConcurrent: 2, timeoutMinutes: 0 }',
        'console: { host: 0.0.0.0 }',
        'workflowsDir: flows',
        '',
      ].join('\n'),
      'flows/.keep': '',
    });
    const run = spawnBin(['config', 'check'], {
      cwd: dir,
      env: { COMFYRELAY_CONSOLE_TOKEN: CONSOLE_TOKEN, COMFYRELAY_LOG_LEVEL: 'debug' },
    });
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe('');
    const [heading = '', ...rest] = run.stdout().split('\n');
    expect(heading).toBe(
      `${dir}/comfyrelay.config.yaml and the environment: no problems. The configuration "comfyrelay start" would run with (secrets masked):`,
    );
    expect(JSON.parse(rest.join('\n'))).toEqual({
      servers: [
        { url: 'http://gpu-1:8188' },
        { url: 'http://gpu-2:8188', auth: { username: 'ops', password: MASK } },
        { url: 'https://comfy.example.com', auth: { token: MASK } },
      ],
      dataDir: join(dir, 'state'),
      retentionDays: 30,
      limits: {
        perUserConcurrent: 2,
        perServer: 2,
        timeoutMinutes: 0,
        unreachableGraceSeconds: 180,
        retryRunningOnUnreachable: false,
      },
      shutdownSeconds: 30,
      logging: { level: 'debug', format: 'auto' },
      workflowsDir: join(dir, 'flows'),
      console: { port: 8190, host: '0.0.0.0', accessToken: MASK },
    });
    for (const secret of [BASIC_PASSWORD, BEARER_TOKEN, CONSOLE_TOKEN])
      expect(run.stdout()).not.toContain(secret);

    const json = spawnBin(['config', 'check', '--json'], {
      cwd: dir,
      env: { COMFYRELAY_CONSOLE_TOKEN: CONSOLE_TOKEN },
    });
    expect(await json.exit).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject({
      source: `${dir}/comfyrelay.config.yaml and the environment`,
      ok: true,
      config: { console: { accessToken: MASK } },
    });
  });

  it('--json says the problems as data, exit 2', async () => {
    const dir = await folderWith('json-problems', {});
    const run = spawnBin(['config', 'check', '--json'], {
      cwd: dir,
      env: { COMFYRELAY_CONSOLE_PORT: 'abc', COMFYRELAY_CONSOLE_TOKEN: 'short' },
    });
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe('');
    expect(JSON.parse(run.stdout())).toEqual({
      source: 'the environment (no config file)',
      ok: false,
      problems: [
        {
          key: 'console.port',
          env: 'COMFYRELAY_CONSOLE_PORT',
          message: "expected a number, got 'abc'",
        },
        {
          key: 'console.accessToken',
          env: 'COMFYRELAY_CONSOLE_TOKEN',
          message: 'expected at least 16 characters (use a long random token)',
        },
      ],
    });
  });

  it("the repository README's JSON and YAML examples are good configurations", async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const examples = [...readme.matchAll(/^```(json|yaml)\n([\s\S]*?)^```$/gm)].map(
      ([, language, text]) => ({ language: language as string, text: text as string }),
    );
    expect(examples.map((example) => example.language)).toEqual(['json', 'yaml']);
    const checked = await Promise.all(
      examples.map(async ({ language, text }) => {
        const dir = await folderWith(`readme-${language}`, {
          [`comfyrelay.config.${language}`]: text,
        });
        const run = spawnBin(['config', 'check', '--json'], { cwd: dir });
        expect(await run.exit, run.stdout()).toBe(0);
        const { config } = JSON.parse(run.stdout()) as { config: Record<string, unknown> };
        return { ...config, dataDir: undefined };
      }),
    );
    // They say the same thing (the YAML spells out a default or two more).
    expect(checked[1]).toEqual(checked[0]);
  });
});

describe('the config command', () => {
  it('alone shows its usage; a mistyped subcommand gets a suggestion', async () => {
    const alone = spawnBin(['config'], { cwd: root.path });
    expect(await alone.exit).toBe(0);
    expect(alone.stdout()).toContain('Usage: comfyrelay config check [<file>] [--json]');
    const typo = spawnBin(['config', 'chek'], { cwd: root.path });
    expect(await typo.exit).toBe(2);
    expect(typo.stderr()).toMatch(
      /^comfyrelay config: unknown subcommand "chek"; did you mean check\? \(there is: check\)\n\nUsage: /,
    );
  });
});

it('the corpus has at least 15 bad configurations, each its own', () => {
  expect(badConfigs.length).toBeGreaterThanOrEqual(15);
  expect(new Set(badConfigs.map((c) => c.id)).size).toBe(badConfigs.length);
});

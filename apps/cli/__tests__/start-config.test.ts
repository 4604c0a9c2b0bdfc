import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStartConfig, type LoadedStartConfig, type StartOverrides } from '../src/index.js';
import { tempDir } from './helpers/capture.js';

let dir: Awaited<ReturnType<typeof tempDir>>;

afterEach(async () => {
  await dir?.remove();
});

async function folderWith(files: Record<string, string>): Promise<string> {
  dir = await tempDir('comfyrelay-start-config-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir.path, name, '..'), { recursive: true });
    await writeFile(join(dir.path, name), text);
  }
  return dir.path;
}

function ok(loaded: LoadedStartConfig) {
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded;
}

const FILE = JSON.stringify({
  servers: [{ url: 'http://from-file:8188' }],
  dataDir: 'file-data',
  workflowsDir: 'file-flows',
  console: { port: 7001 },
});

describe('the configuration of start: options > environment > file > defaults', () => {
  it('each layer wins over the ones below it', async () => {
    const cwd = await folderWith({
      'comfyrelay.config.json': FILE,
      'file-flows/.keep': '',
      'env-flows/.keep': '',
      'option-flows/.keep': '',
    });
    const env = {
      COMFYUI_URL: 'http://from-env:8188',
      COMFYRELAY_DATA_DIR: 'env-data',
      COMFYRELAY_WORKFLOWS_DIR: 'env-flows',
      COMFYRELAY_CONSOLE_PORT: '7002',
    };
    const options: StartOverrides = {
      comfy: 'http://from-option:8188',
      dataDir: 'option-data',
      workflows: 'option-flows',
      port: '0',
    };
    const fromFile = ok(await loadStartConfig({}, { cwd, env: {} })).config;
    expect(fromFile.servers).toEqual([{ url: 'http://from-file:8188' }]);
    expect(fromFile.dataDir).toBe(join(cwd, 'file-data'));
    expect(fromFile.workflowsDir).toBe(join(cwd, 'file-flows'));
    expect(fromFile.console.port).toBe(7001);

    const fromEnv = ok(await loadStartConfig({}, { cwd, env })).config;
    expect(fromEnv.servers).toEqual([{ url: 'http://from-env:8188' }]);
    expect(fromEnv.dataDir).toBe(join(cwd, 'env-data'));
    expect(fromEnv.workflowsDir).toBe(join(cwd, 'env-flows'));
    expect(fromEnv.console.port).toBe(7002);

    const fromOptions = ok(await loadStartConfig(options, { cwd, env })).config;
    expect(fromOptions.servers).toEqual([{ url: 'http://from-option:8188' }]);
    expect(fromOptions.dataDir).toBe(join(cwd, 'option-data'));
    expect(fromOptions.workflowsDir).toBe(join(cwd, 'option-flows'));
    expect(fromOptions.console.port).toBe(0);

    const defaults = ok(await loadStartConfig({}, { cwd: await folderWith({}), env: {} }));
    expect(defaults.source).toBe('the environment (no config file)');
    expect(defaults.config.servers).toEqual([]);
    expect(defaults.config.dataDir).toBe(join(dir.path, 'data'));
    expect(defaults.config.console).toEqual({ port: 8190, host: '127.0.0.1' });
    expect(defaults.config.shutdownSeconds).toBe(30);
  });

  it('finds the file: --config, else COMFYRELAY_CONFIG, else .json before .yaml before .yml', async () => {
    const cwd = await folderWith({
      'comfyrelay.config.json': '{"retentionDays": 1}',
      'comfyrelay.config.yaml': 'retentionDays: 2',
      'comfyrelay.config.yml': 'retentionDays: 3',
      'conf/named.yml': 'retentionDays: 4',
      'conf/by-env.json': '{"retentionDays": 5}',
    });
    const days = async (options: StartOverrides, env: Record<string, string> = {}) =>
      ok(await loadStartConfig(options, { cwd, env })).config.retentionDays;
    expect(await days({})).toBe(1);
    expect(await days({}, { COMFYRELAY_CONFIG: 'conf/by-env.json' })).toBe(5);
    expect(
      await days({ config: 'conf/named.yml' }, { COMFYRELAY_CONFIG: 'conf/by-env.json' }),
    ).toBe(4);
  });

  it('a server given as an option or in COMFYUI_URL reads as every command reads it; its password is a secret', async () => {
    const cwd = await folderWith({});
    const fromEnv = ok(
      await loadStartConfig({}, { cwd, env: { COMFYUI_URL: 'gpu-box:8188/, 10.0.0.2:8188' } }),
    );
    expect(fromEnv.config.servers).toEqual([
      { url: 'http://gpu-box:8188' },
      { url: 'http://10.0.0.2:8188' },
    ]);
    const withAuth = ok(
      await loadStartConfig({ comfy: 'http://ops:s3cret-pw@gpu:8188' }, { cwd, env: {} }),
    );
    expect(withAuth.config.servers).toEqual([
      { url: 'http://gpu:8188', auth: { username: 'ops', password: 's3cret-pw' } },
    ]);
    expect(withAuth.secrets).toContain('s3cret-pw');
    expect(JSON.stringify(withAuth.effective)).not.toContain('s3cret-pw');
  });

  it('an option with a bad value is refused in its own words, before any file is read', async () => {
    const cwd = await folderWith({ 'comfyrelay.config.json': '{ broken' });
    const load = (options: StartOverrides) => loadStartConfig(options, { cwd, env: {} });
    await expect(load({ comfy: '' })).rejects.toThrow(
      '--comfy is empty. Give a ComfyUI URL such as http://127.0.0.1:8188, or leave --comfy out to use the configured servers (or the simulator)',
    );
    await expect(load({ port: '70000' })).rejects.toThrow(
      '--port must be a whole number from 0 to 65535, not "70000"',
    );
    await expect(load({ dataDir: ' ' })).rejects.toThrow(/^--data-dir is empty/);
    await expect(load({ workflows: 'nowhere' })).rejects.toThrow(
      `--workflows: ${join(cwd, 'nowhere')} does not exist`,
    );
    await expect(load({ config: '' })).rejects.toThrow(/^--config is empty/);
  });

  it('what it could not use is in the report too, named by the variable that set it, if one did', async () => {
    const cwd = await folderWith({ 'comfyrelay.config.json': '{"console": {"port": 6000}}' });
    const fromEnv = await loadStartConfig({}, { cwd, env: { COMFYRELAY_CONSOLE_PORT: '6667' } });
    expect(!fromEnv.ok && fromEnv.problems.map((p) => [p.key, p.env])).toEqual([
      ['console.port', 'COMFYRELAY_CONSOLE_PORT'],
    ]);
    const fromFile = await loadStartConfig({}, { cwd, env: { COMFYUI_URL: 'http://gpu:6000' } });
    expect(!fromFile.ok && fromFile.problems.map((p) => [p.key, p.env])).toEqual([
      ['servers[0].url', 'COMFYUI_URL'],
      ['console.port', undefined],
    ]);
  });
});

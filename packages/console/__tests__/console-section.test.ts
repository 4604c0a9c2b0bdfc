import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblems, loadConfig, MASK } from '@comfyrelay/platform';
import { describe, expect, it } from 'vitest';
import { consoleSection, type ConsoleOptions } from '../src/index.js';

// An empty folder: no config file, only the environment.
const load = async (env: Record<string, string>) =>
  loadConfig({
    sections: [consoleSection],
    env,
    cwd: await mkdtemp(join(tmpdir(), 'comfyrelay-console-config-')),
  });

describe('the console section of the configuration', () => {
  it('defaults to loopback on 8190; the environment sets port, host and token, the token masked', async () => {
    const plain = await load({});
    if (!plain.ok) throw new Error(formatProblems(plain.problems, plain.source));
    expect(plain.config.console).toEqual({ port: 8190, host: '127.0.0.1' });

    const loaded = await load({
      COMFYRELAY_CONSOLE_PORT: '9000',
      COMFYRELAY_CONSOLE_HOST: '0.0.0.0',
      COMFYRELAY_CONSOLE_TOKEN: 'a-long-random-token-0123',
    });
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems, loaded.source));
    const options: ConsoleOptions = loaded.config.console; // what consoleApp takes
    expect(options).toEqual({
      port: 9000,
      host: '0.0.0.0',
      accessToken: 'a-long-random-token-0123',
    });
    expect(loaded.effective['console']).toMatchObject({ accessToken: MASK });
  });

  it('says what is wrong, naming the key and never repeating the token', async () => {
    const loaded = await load({
      COMFYRELAY_CONSOLE_PORT: 'eighty',
      COMFYRELAY_CONSOLE_TOKEN: 'short',
    });
    expect(loaded.ok).toBe(false);
    const report = loaded.ok ? '' : formatProblems(loaded.problems, loaded.source);
    expect(report).toContain('console.port');
    expect(report).toContain('console.accessToken');
    expect(report).toContain('at least 16 characters');
    expect(report).not.toContain('short');
  });
});

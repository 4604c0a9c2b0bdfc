import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblems, loadConfig } from '@comfyrelay/platform';
import { telegramSection, type TelegramConfig } from '../../src/index.js';

/** The `telegram` section from these variables (in a folder without a config file), as the bot reads it. */
export async function telegramConfigFrom(env: Record<string, string>): Promise<TelegramConfig> {
  const cwd = await mkdtemp(join(tmpdir(), 'comfyrelay-telegram-config-'));
  try {
    const loaded = await loadConfig({ sections: [telegramSection], env, cwd });
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems, loaded.source));
    if (!loaded.config.telegram) throw new Error('no telegram section in the environment');
    return loaded.config.telegram;
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

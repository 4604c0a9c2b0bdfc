import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblems, loadConfig } from '@comfyrelay/platform';
import { discordSection, type DiscordConfig } from '../../src/index.js';

/** The `discord` section from these variables (in a folder without a config file), as the bot reads it. */
export async function discordConfigFrom(env: Record<string, string>): Promise<DiscordConfig> {
  const cwd = await mkdtemp(join(tmpdir(), 'comfyrelay-discord-config-'));
  try {
    const loaded = await loadConfig({ sections: [discordSection], env, cwd });
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems, loaded.source));
    if (!loaded.config.discord) throw new Error('no discord section in the environment');
    return loaded.config.discord;
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

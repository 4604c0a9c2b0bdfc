import { formatProblems } from '@comfyrelay/platform';
import { command } from '../command.js';
import { RefusedError, UsageError } from '../errors.js';
import { writeTo, type CliIO } from '../io.js';
import { parseCommandArgs } from '../parseCommandArgs.js';
import { loadStartConfig } from '../platform/loadStartConfig.js';
import { didYouMean } from '@comfyrelay/core';
import { CONFIG_USAGE } from '../usage.js';

/** What `config check --json` prints. */
export type ConfigCheckOutput =
  | { source: string; ok: true; config: Record<string, unknown> }
  | { source: string; ok: false; problems: { key: string; env?: string; message: string }[] };

/** `comfyrelay config <subcommand>`: only `check` for now; alone, its usage. */
export const configCommand = command('config', CONFIG_USAGE, async (argv, io) => {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === 'help') {
    await writeTo(io.stdout, CONFIG_USAGE);
    return 0;
  }
  if (subcommand !== 'check') {
    const hint = didYouMean(subcommand, ['check']);
    throw new UsageError(
      `unknown subcommand "${subcommand}"${hint ? `; ${hint}` : ''} (there is: check)`,
    );
  }
  return checkCommand(rest, io);
});

/**
 * Loads the configuration exactly as `start` would (same sections, file lookup and
 * environment) and prints every problem, or the effective configuration with secrets masked.
 */
async function checkCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [file, ...extra] = positionals;
  if (extra.length > 0)
    throw new UsageError(`one config file at a time (also got ${extra.join(' ')})`);
  if (file !== undefined && file.trim() === '')
    throw new RefusedError(
      'the config file name is empty; give its path, or leave it out for COMFYRELAY_CONFIG or comfyrelay.config.json|yaml|yml here',
    );
  const loaded = await loadStartConfig({ config: file }, io);
  if (values.json) {
    const output: ConfigCheckOutput = loaded.ok
      ? { source: loaded.source, ok: true, config: loaded.effective }
      : { source: loaded.source, ok: false, problems: loaded.problems };
    await writeTo(io.stdout, `${JSON.stringify(output)}\n`);
    return loaded.ok ? 0 : 2;
  }
  if (!loaded.ok) throw new RefusedError(formatProblems(loaded.problems, loaded.source));
  await writeTo(
    io.stdout,
    `${loaded.source}: no problems. The configuration "comfyrelay start" would run with (secrets masked):\n${JSON.stringify(loaded.effective, null, 2)}\n`,
  );
  return 0;
}

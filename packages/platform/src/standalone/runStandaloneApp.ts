import { resolve } from 'node:path';
import type { ComfyRelay, Logger, Plugin } from '@comfyrelay/core';
import type { App } from '../App.js';
import type { ConfigSection } from '../config/ConfigSection.js';
import { formatProblems } from '../config/ConfigProblem.js';
import { loadConfig } from '../config/loadConfig.js';
import { PLATFORM_SECTIONS } from '../config/platformSections.js';
import { platformOptionsFrom } from '../config/platformOptionsFrom.js';
import { createPlatformLogger } from '../logging/createPlatformLogger.js';
import { startPlatform, type Platform } from '../startPlatform.js';

export interface StandaloneIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Where the config file and relative paths are looked for (default: the process's). */
  cwd?: string;
  stdout: NodeJS.WritableStream;
  /** Logs, and why it could not start. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM: the app stops gracefully. */
  signal: AbortSignal;
}

/** One app run on its own, as a program of its own (`comfyrelay-discord`, `comfyrelay-telegram`). */
export interface StandaloneApp<Config> {
  /** Its name, at the start of every line it says. */
  program: string;
  /** Its part of the configuration; the program refuses to run without it. */
  section: ConfigSection<string, Config | undefined>;
  /** What to say when the section is missing (which variable to set). */
  notConfigured: string;
  /** Top-level keys other programs read from the same file (left alone, not flagged). */
  otherSections: readonly string[];
  /** The command that runs the same app on the built-in simulator. */
  simulatorCommand: string;
  plugins: readonly Plugin[];
  /** The plugin for the operator's folder of exported workflows (`workflowsDir`). */
  folderPlugin(dir: string, relay: ComfyRelay, logger: Logger): Plugin;
  app(config: Config): App;
  /** The line it prints once running. */
  running(platform: Platform, config: Config): string;
  /** Why it could not start, in one line (no secret in it). */
  startError?(error: unknown, config: Config): string;
}

/**
 * Runs one app on the platform, configured as `comfyrelay start` is (the file COMFYRELAY_CONFIG
 * names, else comfyrelay.config.json|yaml|yml in `cwd`, the environment over it), until the
 * signal. Resolves with the exit status: 0 after a graceful stop, 2 for a configuration it cannot
 * run with, 1 when it could not start.
 */
export async function runStandaloneApp<Config>(
  spec: StandaloneApp<Config>,
  io: StandaloneIo,
): Promise<number> {
  const say = (stream: NodeJS.WritableStream, line: string) =>
    stream.write(`${spec.program}: ${line}\n`);
  const cwd = io.cwd ?? process.cwd();
  const file = io.env['COMFYRELAY_CONFIG']?.trim();
  const loaded = await loadConfig({
    sections: [...PLATFORM_SECTIONS, spec.section],
    otherSections: spec.otherSections,
    env: io.env,
    cwd,
    ...(file ? { file } : {}),
  });
  if (!loaded.ok) {
    say(io.stderr, formatProblems(loaded.problems, loaded.source));
    return 2;
  }
  const config = loaded.config;
  const own = (config as Record<string, unknown>)[spec.section.key] as Config | undefined;
  if (own === undefined) {
    say(io.stderr, spec.notConfigured);
    return 2;
  }
  if (config.servers.length === 0) {
    say(
      io.stderr,
      `no ComfyUI server is configured; set COMFYUI_URL (or "servers" in the config file), or try the bot on the built-in simulator with "${spec.simulatorCommand}"`,
    );
    return 2;
  }
  const logger = createPlatformLogger({
    level: config.logging.level,
    format: config.logging.format,
    secrets: loaded.secrets,
    destination: io.stderr,
  });
  const workflowsDir = config.workflowsDir && resolve(cwd, config.workflowsDir);
  let platform: Platform;
  try {
    platform = await startPlatform({
      ...platformOptionsFrom(config, cwd),
      plugins: spec.plugins,
      prepare: async (relay) => {
        if (workflowsDir) await relay.use(spec.folderPlugin(workflowsDir, relay, logger));
      },
      apps: [spec.app(own)],
      logger,
    });
  } catch (error) {
    const why =
      spec.startError?.(error, own) ?? (error instanceof Error ? error.message : String(error));
    say(io.stderr, why.split('\n')[0] ?? why);
    return 1;
  }
  say(io.stdout, spec.running(platform, own));
  await aborted(io.signal);
  say(io.stdout, 'stopping…');
  await platform.stop();
  say(io.stdout, 'stopped');
  return 0;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

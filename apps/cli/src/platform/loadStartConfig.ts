import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CONSOLE_PORT } from '@comfyrelay/console';
import { loadConfig, type ConfigProblem } from '@comfyrelay/platform';
import { blockedPortReason, isBlockedPort } from '../blockedPorts.js';
import { comfyUrlsFrom } from '../comfyUrls.js';
import { RefusedError } from '../errors.js';
import { describeFileProblem } from '../fileProblem.js';
import type { CliIO } from '../io.js';
import { parseIntegerOption } from '../parseCommandArgs.js';
import { workflowsDirFrom } from '../settings/workflowsDir.js';
import { START_SECTIONS, type StartConfig } from './sections.js';

/** What the command line of `start` sets: each wins over the environment and the file. */
export interface StartOverrides {
  /** The config file (`--config`); else COMFYRELAY_CONFIG, else the default names. */
  config?: string | undefined;
  comfy?: string | undefined;
  port?: string | undefined;
  dataDir?: string | undefined;
  workflows?: string | undefined;
}

export type LoadedStartConfig =
  | {
      ok: true;
      /** Validated, with `dataDir` and `workflowsDir` made absolute (against the user's directory). */
      config: StartConfig;
      /** Where the values came from: "/srv/comfyrelay.config.yaml and the environment". */
      source: string;
      /** The same, every secret masked: safe to print. */
      effective: Record<string, unknown>;
      /** Every secret value, for the logger to hide. */
      secrets: string[];
    }
  | { ok: false; problems: ConfigProblem[]; source: string };

/** The variable each option stands in for: a problem with its value names the option. */
const VARIABLE_OF: Record<keyof Omit<StartOverrides, 'config'>, [string, string]> = {
  comfy: ['COMFYUI_URL', '--comfy'],
  port: ['COMFYRELAY_CONSOLE_PORT', '--port'],
  dataDir: ['COMFYRELAY_DATA_DIR', '--data-dir'],
  workflows: ['COMFYRELAY_WORKFLOWS_DIR', '--workflows'],
};

/**
 * The configuration `comfyrelay start` runs with, as `comfyrelay config check` shows it: the
 * file (`--config`, COMFYRELAY_CONFIG, else comfyrelay.config.json|yaml|yml in the user's
 * directory), the environment over it, the options over both. An option with a malformed value
 * is refused at once in the option's words (RefusedError); everything else wrong is collected
 * into one report: what the schema refuses, and what comfyrelay could not use (a port browsers
 * refuse, a workflow folder that is not there).
 */
export async function loadStartConfig(
  overrides: StartOverrides,
  io: Pick<CliIO, 'env' | 'cwd'>,
): Promise<LoadedStartConfig> {
  const env = await environmentWith(overrides, io);
  const file = configFileOf(overrides.config, io.env);
  const loaded = await loadConfig({
    sections: START_SECTIONS,
    env,
    cwd: io.cwd,
    ...(file !== undefined ? { file } : {}),
  });
  const given = (variable: string) =>
    Object.entries(VARIABLE_OF).find(
      ([option, [name]]) => name === variable && overrides[option as keyof StartOverrides],
    )?.[1][1];
  // Where a key's value came from: the option standing in for its variable, or the variable.
  const from = (variable: string): { env?: string } => {
    const option = given(variable);
    if (option !== undefined) return { env: option };
    return io.env[variable]?.trim() ? { env: variable } : {};
  };
  if (!loaded.ok) {
    const problems = loaded.problems.map((problem) => {
      // A problem of the file itself: say which variable named it, if one did.
      if (problem.key === '' && overrides.config === undefined && file !== undefined)
        return { ...problem, message: `${problem.message} (COMFYRELAY_CONFIG names it)` };
      return problem.env === undefined ? problem : { ...problem, ...from(problem.env) };
    });
    return { ok: false, problems, source: loaded.source };
  }

  const config = loaded.config;
  const problems = await problemsOfUse(config, io.cwd, from);
  if (problems.length > 0) return { ok: false, problems, source: loaded.source };
  const dataDir = resolve(io.cwd, config.dataDir);
  const workflowsDir =
    config.workflowsDir === undefined ? undefined : resolve(io.cwd, config.workflowsDir);
  const paths = { dataDir, ...(workflowsDir !== undefined ? { workflowsDir } : {}) };
  return {
    ok: true,
    config: { ...config, ...paths },
    source: loaded.source,
    effective: { ...loaded.effective, ...paths },
    secrets: loaded.secrets,
  };
}

/** `--config FILE`, else COMFYRELAY_CONFIG (empty: unset, as for every variable). */
function configFileOf(
  option: string | undefined,
  env: Record<string, string | undefined>,
): string | undefined {
  if (option !== undefined) {
    if (option.trim() === '')
      throw new RefusedError(
        '--config is empty; give the path of your config file, such as comfyrelay.config.yaml',
      );
    return option;
  }
  const named = env['COMFYRELAY_CONFIG']?.trim();
  return named ? named : undefined;
}

/**
 * The environment with each option laid over the variable it stands in for, so options go
 * through the same schema (credentials in a URL become auth, and secrets) and win over both.
 */
async function environmentWith(
  overrides: StartOverrides,
  io: Pick<CliIO, 'env' | 'cwd'>,
): Promise<Record<string, string | undefined>> {
  const env = { ...io.env };
  if (overrides.comfy !== undefined) {
    env['COMFYUI_URL'] = comfyUrlsFrom(
      overrides.comfy,
      {},
      'to use the configured servers (or the simulator)',
    ).join(',');
  } else if (env['COMFYUI_URL']?.trim()) {
    // "gpu-box:8188" means http://gpu-box:8188 here as in every command; a URL that is wrong
    // is left as it is, for the report to name.
    try {
      env['COMFYUI_URL'] = comfyUrlsFrom(undefined, env).join(',');
    } catch {
      // reported by the schema, or by problemsOfUse
    }
  }
  if (overrides.port !== undefined) {
    const port = parseIntegerOption('port', overrides.port, 0, 65535) as number;
    if (isBlockedPort(port)) throw new RefusedError(`--port ${port}: ${consolePortReason(port)}`);
    env['COMFYRELAY_CONSOLE_PORT'] = String(port);
  }
  if (overrides.dataDir !== undefined) {
    if (overrides.dataDir.trim() === '')
      throw new RefusedError(
        '--data-dir is empty; give the folder comfyrelay keeps its generations in, such as ./data',
      );
    env['COMFYRELAY_DATA_DIR'] = resolve(io.cwd, overrides.dataDir.trim());
  }
  if (overrides.workflows !== undefined)
    env['COMFYRELAY_WORKFLOWS_DIR'] = await workflowsDirFrom(overrides.workflows, {}, io.cwd);
  return env;
}

/** What the schema lets through but comfyrelay could not use. */
async function problemsOfUse(
  config: StartConfig,
  cwd: string,
  from: (variable: string) => { env?: string },
): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  config.servers.forEach((server, index) => {
    const url = new URL(server.url);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (isBlockedPort(port))
      problems.push({
        key: `servers[${index}].url`,
        ...from('COMFYUI_URL'),
        message: blockedPortReason(port, 'comfyrelay could not reach a ComfyUI there', 8188),
      });
  });
  if (isBlockedPort(config.console.port))
    problems.push({
      key: 'console.port',
      ...from('COMFYRELAY_CONSOLE_PORT'),
      message: consolePortReason(config.console.port),
    });
  if (config.workflowsDir !== undefined) {
    const dir = resolve(cwd, config.workflowsDir);
    const problem = await folderProblem(dir);
    if (problem !== undefined)
      problems.push({ key: 'workflowsDir', ...from('COMFYRELAY_WORKFLOWS_DIR'), message: problem });
  }
  return problems;
}

/** Why a workflow folder cannot be read, or undefined when it can. */
async function folderProblem(dir: string): Promise<string | undefined> {
  try {
    if (!(await stat(dir)).isDirectory()) return `${dir} is a file; give the folder it is in`;
    return undefined;
  } catch (error) {
    return describeFileProblem(error, dir, 'read');
  }
}

/** The console is a web page: a port browsers refuse would leave it unreachable. */
function consolePortReason(port: number): string {
  return blockedPortReason(
    port,
    'a browser could not open the console (nor dashboards its event stream) there',
    DEFAULT_CONSOLE_PORT,
  );
}

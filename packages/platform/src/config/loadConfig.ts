import { didYouMean } from '@comfyrelay/core';

import { applyEnvironment, originOf, type Environment } from './applyEnvironment.js';
import type { ConfigOf, ConfigSection } from './ConfigSection.js';
import type { ConfigProblem } from './ConfigProblem.js';
import { keyOf, matchesPattern, valueAt, type ConfigPath } from './configPath.js';
import { maskSecrets, secretValuesOf } from './maskSecrets.js';
import { plainWords } from './plainWords.js';
import { readConfigFile } from './readConfigFile.js';

export interface LoadConfigOptions<Sections extends readonly ConfigSection[]> {
  sections: Sections;
  env: Environment;
  /** Where relative paths (the file, and the default names) are looked for. */
  cwd: string;
  /** The file to read; unset: the first of the default names in `cwd`, if any. */
  file?: string;
  /**
   * Top-level keys that other comfyrelay programs read from the same file (a bot's own binary
   * reads the file `comfyrelay start` reads): accepted as they are, neither validated here nor
   * flagged as unknown, and left out of the result.
   */
  otherSections?: readonly string[];
}

export type LoadedConfig<Sections extends readonly ConfigSection[]> =
  | {
      ok: true;
      config: ConfigOf<Sections>;
      /** "comfyrelay.config.json and the environment": where the values came from. */
      source: string;
      /** The validated config with defaults, secrets masked: safe to print or log. */
      effective: Record<string, unknown>;
      /** Every secret value set, for the logger to hide wherever it shows up. */
      secrets: string[];
    }
  | { ok: false; problems: ConfigProblem[]; source: string };

/**
 * Reads the config file, lays the environment over it and validates every section. Every
 * problem is reported at once (not the first only), each naming its key and, when the value
 * came from the environment, the variable; secret values are never repeated.
 */
export async function loadConfig<const Sections extends readonly ConfigSection[]>(
  options: LoadConfigOptions<Sections>,
): Promise<LoadedConfig<Sections>> {
  const file = await readConfigFile(options.file, options.cwd);
  const source = file.path
    ? `${file.path} and the environment`
    : 'the environment (no config file)';
  if (!file.ok) return { ok: false, problems: [file.problem], source };

  const { merged, origins } = applyEnvironment(file.value, options.sections, options.env);
  const problems: ConfigProblem[] = unknownSections(
    merged,
    options.sections,
    options.otherSections ?? [],
  );
  const config: Record<string, unknown> = {};
  const secrets: string[] = [];
  for (const section of options.sections) {
    const secretPatterns = (section.secrets ?? []).map((path) => `${section.key}.${path}`);
    secrets.push(...secretPatterns);
    const knownKeys = new Map<string, string[]>();
    const result = section.schema.safeParse(merged[section.key], {
      error: (issue) => {
        if (issue.code === 'unrecognized_keys')
          knownKeys.set(keyOf((issue.path ?? []) as (string | number)[]), shapeKeys(issue.inst));
        return plainWords(issue);
      },
    });
    if (result.success) {
      config[section.key] = result.data;
      continue;
    }
    for (const issue of result.error.issues) {
      const path: ConfigPath = [section.key, ...(issue.path as (string | number)[])];
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeys.get(keyOf(issue.path as (string | number)[])) ?? [];
        for (const key of issue.keys) problems.push(unknownKey([...path, key], known));
        continue;
      }
      const secret = secretPatterns.some((pattern) => matchesPattern(path, pattern));
      const problem: ConfigProblem = {
        key: keyOf(path),
        message: secret ? issue.message : withValue(issue.message, valueAt(merged, path)),
      };
      const env = originOf(origins, path);
      if (env !== undefined) problem.env = env;
      problems.push(problem);
    }
  }
  if (problems.length > 0) return { ok: false, problems, source };
  const given = Object.fromEntries(
    options.sections.map((section) => [section.key, merged[section.key]]),
  );
  return {
    ok: true,
    config: config as ConfigOf<Sections>,
    source,
    effective: maskSecrets(config, secrets, JSON.stringify(given)),
    // As given and as validated: a schema may wrap a token (then only the given text shows it)
    // or derive one (then only the result holds it).
    secrets: [...new Set([...secretValuesOf(given, secrets), ...secretValuesOf(config, secrets)])],
  };
}

function unknownSections(
  merged: Record<string, unknown>,
  sections: readonly ConfigSection[],
  others: readonly string[],
): ConfigProblem[] {
  const known = [...sections.map((section) => section.key), ...others];
  return Object.keys(merged)
    .filter((key) => !known.includes(key))
    .map((key) => unknownKey([key], known));
}

function unknownKey(path: ConfigPath, known: readonly string[]): ConfigProblem {
  const suggestion = didYouMean(String(path[path.length - 1]), known);
  return { key: keyOf(path), message: suggestion ? `unknown key; ${suggestion}` : 'unknown key' };
}

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/** "expected a whole number, got 'abc'": the value as the operator wrote it. */
function withValue(message: string, value: unknown): string {
  if (value === undefined || message.includes(', got ')) return message;
  return `${message}, got ${describe(value)}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'keys and values';
  return String(value);
}

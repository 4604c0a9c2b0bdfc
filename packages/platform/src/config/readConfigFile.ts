import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ConfigProblem } from './ConfigProblem.js';

/** Looked for, in this order, in the directory comfyrelay starts in. */
export const CONFIG_FILE_NAMES = [
  'comfyrelay.config.json',
  'comfyrelay.config.yaml',
  'comfyrelay.config.yml',
] as const;

export type ConfigFile =
  | { ok: true; path?: string; value: Record<string, unknown> }
  | { ok: false; path: string; problem: ConfigProblem };

/**
 * The config file's contents: the one named (it must exist), else the first of
 * {@link CONFIG_FILE_NAMES} in `cwd`, else nothing (an empty config: every default).
 */
export async function readConfigFile(named: string | undefined, cwd: string): Promise<ConfigFile> {
  if (named !== undefined) return readNamed(resolve(cwd, named));
  for (const name of CONFIG_FILE_NAMES) {
    const path = resolve(cwd, name);
    const text = await readText(path);
    if (text.ok) return parseText(path, text.text);
    if (text.code !== 'ENOENT') return text.failure;
  }
  return { ok: true, value: {} };
}

async function readNamed(path: string): Promise<ConfigFile> {
  const text = await readText(path);
  return text.ok ? parseText(path, text.text) : text.failure;
}

type Text =
  | { ok: true; text: string }
  | { ok: false; code: string | undefined; failure: ConfigFile & { ok: false } };

async function readText(path: string): Promise<Text> {
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EACCES'
          ? 'it cannot be read (permission denied)'
          : code === 'EISDIR'
            ? 'it is a folder, not a file'
            : `it cannot be read (${code ?? String(error)})`;
    return {
      ok: false,
      code,
      failure: { ok: false, path, problem: { key: '', message: `${path}: ${why}` } },
    };
  }
}

function parseText(path: string, text: string): ConfigFile {
  const yaml = ['.yaml', '.yml'].includes(extname(path).toLowerCase());
  let value: unknown;
  try {
    value = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      path,
      problem: { key: '', message: `${path}: ${syntaxProblem(error, text, yaml)}` },
    };
  }
  if (value === null || value === undefined) return { ok: true, path, value: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      path,
      problem: {
        key: '',
        message: `${path}: expected keys and values at the top, such as { "servers": [...] }`,
      },
    };
  }
  return { ok: true, path, value: value as Record<string, unknown> };
}

function syntaxProblem(error: unknown, text: string, yaml: boolean): string {
  if (error instanceof YAMLParseError) {
    const at = error.linePos?.[0];
    const first = error.message.split('\n')[0] ?? error.message;
    return at
      ? `not valid YAML at line ${at.line}, column ${at.col}: ${first.replace(/ at line \d+, column \d+:?$/, '')}`
      : `not valid YAML: ${first}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (yaml) return `not valid YAML: ${message}`;
  const position = /at position (\d+)/.exec(message);
  if (!position) return `not valid JSON: ${message}`;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}

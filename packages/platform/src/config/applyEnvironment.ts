import type { ConfigSection, EnvReading } from './ConfigSection.js';
import { setValueAt, type ConfigPath } from './configPath.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Lays the environment over the file's values (the environment wins) and remembers which
 * variable set which key, so problems can name it. An empty variable counts as unset: that is
 * what an unset shell variable expands to.
 */
export function applyEnvironment(
  fileValue: Record<string, unknown>,
  sections: readonly ConfigSection[],
  env: Environment,
): { merged: Record<string, unknown>; origins: Map<string, string> } {
  const merged = structuredClone(fileValue);
  const origins = new Map<string, string>();
  for (const section of sections) {
    for (const [name, binding] of Object.entries(section.env)) {
      const text = env[name]?.trim();
      if (text === undefined || text === '') continue;
      const { path, read } =
        typeof binding === 'string' ? { path: binding, read: undefined } : binding;
      const at: ConfigPath = [section.key, ...(path === '' ? [] : path.split('.'))];
      setValueAt(merged, at, readText(text, read ?? 'text'));
      origins.set(at.join('.'), name);
    }
  }
  return { merged, origins };
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

function readText(text: string, reading: EnvReading): unknown {
  if (typeof reading === 'function') return reading(text);
  switch (reading) {
    case 'text':
      return text;
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    case 'flag': {
      const lower = text.toLowerCase();
      return TRUE.has(lower) ? true : FALSE.has(lower) ? false : text;
    }
    case 'list':
      return text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
  }
}

/** The variable that set a key, or one of its parents (a list variable sets the whole list). */
export function originOf(origins: Map<string, string>, path: ConfigPath): string | undefined {
  for (let length = path.length; length > 0; length--) {
    const origin = origins.get(path.slice(0, length).join('.'));
    if (origin !== undefined) return origin;
  }
  return undefined;
}
